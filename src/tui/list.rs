//! Moving a selection through a list: the one rule every list, board and
//! chooser on the desk follows.

/// `current` moved by `delta` within a list of `len` (0 for an empty list).
pub fn step(current: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (current as isize)
        .saturating_add(delta)
        .clamp(0, len as isize - 1) as usize
}
