//! Results sized for a model's context: text longer than the limit keeps its beginning and its end (where
//! commands print what they are doing and how they ended) and loses its middle, with a marker that says
//! how much was left out and how to read it.

use std::borrow::Cow;

/// The smallest limit accepted: below it the marker alone would not fit.
pub const MIN_LIMIT: usize = 1024;

/// `text` whole when it fits in `limit` bytes, else its head and tail around a marker naming how many
/// bytes were left out and `hint` (how to read them). The result is never longer than `limit` (for limits
/// of at least [`MIN_LIMIT`]), and cuts fall on line ends when one is near, never inside a character.
pub fn cut_middle<'a>(text: &'a str, limit: usize, hint: &str) -> Cow<'a, str> {
    if text.len() <= limit {
        return Cow::Borrowed(text);
    }
    let total = text.len();
    // The marker's length with the largest count it can hold, so the budget never overshoots.
    let widest = marker(total, total, hint).len() + 1;
    let room = limit.saturating_sub(widest);
    let head_end = line_end_before(text, room / 2);
    let tail_start = line_start_after(text, total - (room - room / 2));
    let head = &text[..head_end];
    let tail = &text[tail_start.max(head_end)..];
    let left_out = total - head.len() - tail.len();
    // The marker stands on a line of its own.
    let newline = if head.is_empty() || head.ends_with('\n') { "" } else { "\n" };
    Cow::Owned(format!("{head}{newline}{}{tail}", marker(left_out, total, hint)))
}

/// The marker, with room counted for the newline that may precede it.
fn marker(left_out: usize, total: usize, hint: &str) -> String {
    format!("[... {left_out} of {total} bytes left out here; {hint} ...]\n")
}

/// The end of the head: at most `at`, on a character boundary, just after a newline when one lies in the
/// last quarter.
fn line_end_before(text: &str, at: usize) -> usize {
    let mut end = at.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(newline) if newline + 1 >= end - end / 4 => newline + 1,
        _ => end,
    }
}

/// The start of the tail: at least `at`, on a character boundary, just after a newline when one lies in
/// the first quarter of what remains.
fn line_start_after(text: &str, at: usize) -> usize {
    let mut start = at.min(text.len());
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let rest = text.len() - start;
    match text[start..].find('\n') {
        Some(offset) if offset < rest / 4 => start + offset + 1,
        _ => start,
    }
}

/// How `limit` bytes are shared by two texts of `a` and `b` bytes: each gets half, and what one does not
/// need goes to the other.
pub fn share(limit: usize, a: usize, b: usize) -> (usize, usize) {
    if a + b <= limit {
        return (a, b);
    }
    let half = limit / 2;
    match (a <= half, b <= half) {
        (true, _) => (a, limit - a),
        (_, true) => (limit - b, b),
        _ => (half, limit - half),
    }
}

/// Bytes as text: UTF-8 as is, anything else replaced, so a model never gets escaped binary.
pub fn text_of(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_untouched() {
        assert!(matches!(cut_middle("hello\n", 1024, "hint"), Cow::Borrowed("hello\n")));
    }

    #[test]
    fn long_text_keeps_both_ends_and_counts_what_it_left_out() {
        let text: String = (0..10_000).map(|i| format!("line {i}\n")).collect();
        let cut = cut_middle(&text, 4096, "read the rest with pod_logs (tail_lines, since_seconds)");
        assert!(cut.len() <= 4096, "{} bytes", cut.len());
        assert!(cut.starts_with("line 0\nline 1\n"));
        assert!(cut.ends_with("line 9999\n"));
        let marker_line = cut.lines().find(|l| l.starts_with("[... ")).expect("marker");
        let left_out: usize = marker_line[5..].split(' ').next().and_then(|n| n.parse().ok()).expect("count");
        let kept = cut.len() - marker_line.len() - 1;
        assert_eq!(left_out + kept, text.len(), "{marker_line}");
        assert!(marker_line.contains(&format!("of {} bytes", text.len())));
        assert!(marker_line.contains("tail_lines"));
        // Cuts fall on line ends: every line but the marker is a whole one.
        assert!(cut.lines().filter(|l| !l.starts_with("[... ")).all(|l| l.starts_with("line ")), "{cut}");
    }

    #[test]
    fn cuts_never_split_a_character() {
        let text = "é".repeat(5000);
        for limit in [1024, 1025, 2047, 4096] {
            let cut = cut_middle(&text, limit, "x");
            assert!(cut.len() <= limit);
            assert!(cut.starts_with('é') && cut.ends_with('é'));
        }
    }

    #[test]
    fn one_long_line_is_cut_too() {
        let text = "a".repeat(100_000) + &"b".repeat(100_000);
        let cut = cut_middle(&text, MIN_LIMIT, "hint");
        assert!(cut.len() <= MIN_LIMIT && cut.len() > MIN_LIMIT - 8, "{}", cut.len());
        assert!(cut.starts_with('a') && cut.ends_with('b'));
    }

    #[test]
    fn two_streams_share_the_limit() {
        assert_eq!(share(100, 10, 20), (10, 20));
        assert_eq!(share(100, 10, 500), (10, 90));
        assert_eq!(share(100, 500, 10), (90, 10));
        assert_eq!(share(100, 500, 500), (50, 50));
        assert_eq!(share(101, 500, 500), (50, 51));
    }
}
