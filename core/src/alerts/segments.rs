//! SMS length accounting: GSM 03.38 (7-bit, with its extension table) versus
//! UCS-2, and how many segments a text needs.
//!
//! A text is sent as GSM-7 when every character is in the basic or extension
//! table, otherwise as UCS-2. One GSM-7 segment holds 160 septets, a
//! concatenated one 153; extension characters take two septets and are never
//! split across segments. One UCS-2 segment holds 70 UTF-16 units, a
//! concatenated one 67; surrogate pairs are never split.

/// The GSM 03.38 basic character set (the escape character excluded).
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The GSM 03.38 extension table (two septets each).
const GSM7_EXTENSION: &str = "^{}\\[~]|€\u{000C}";

/// How a text would be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsEncoding {
    /// GSM 03.38 7-bit.
    Gsm7,
    /// UCS-2 (UTF-16).
    Ucs2,
}

fn gsm7_cost(c: char) -> Option<usize> {
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// The encoding a phone would choose for `text`.
pub fn encoding(text: &str) -> SmsEncoding {
    if text.chars().all(|c| gsm7_cost(c).is_some()) {
        SmsEncoding::Gsm7
    } else {
        SmsEncoding::Ucs2
    }
}

/// The number of segments `text` needs (0 for the empty text).
pub fn segments(text: &str) -> usize {
    let (costs, single, multi): (Vec<usize>, usize, usize) = match encoding(text) {
        SmsEncoding::Gsm7 => (
            text.chars().map(|c| gsm7_cost(c).unwrap_or(2)).collect(),
            160,
            153,
        ),
        SmsEncoding::Ucs2 => (text.chars().map(char::len_utf16).collect(), 70, 67),
    };
    let total: usize = costs.iter().sum();
    if total == 0 {
        return 0;
    }
    if total <= single {
        return 1;
    }
    let mut count = 1;
    let mut used = 0;
    for cost in costs {
        if used + cost > multi {
            count += 1;
            used = 0;
        }
        used += cost;
    }
    count
}

/// Whether `text` fits in at most `max` segments.
pub fn fits(text: &str, max: usize) -> bool {
    segments(text) <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsm7_boundaries() {
        assert_eq!(encoding("Hello @ £ é"), SmsEncoding::Gsm7);
        assert_eq!(segments(""), 0);
        assert_eq!(segments(&"a".repeat(160)), 1);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(segments(&"a".repeat(306)), 2);
        assert_eq!(segments(&"a".repeat(307)), 3);
        // Extension characters count twice.
        assert_eq!(segments(&"€".repeat(80)), 1);
        assert_eq!(segments(&"€".repeat(81)), 2);
        // An escape pair is not split: 152 + € does not fit in the first 153.
        let s = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(segments(&s), 3);
    }

    #[test]
    fn ucs2_boundaries() {
        assert_eq!(encoding("Привет"), SmsEncoding::Ucs2);
        assert_eq!(encoding("ą"), SmsEncoding::Ucs2, "Polish ą is not GSM-7");
        assert_eq!(segments(&"ж".repeat(70)), 1);
        assert_eq!(segments(&"ж".repeat(71)), 2);
        assert_eq!(segments(&"ж".repeat(134)), 2);
        assert_eq!(segments(&"ж".repeat(135)), 3);
        // An emoji is a surrogate pair (two units), never split.
        assert_eq!(segments(&"😀".repeat(35)), 1);
        let s = format!("{}😀{}", "ж".repeat(66), "ж".repeat(66));
        assert_eq!(segments(&s), 3);
        // One non-GSM character switches the whole text to UCS-2.
        let mixed = format!("{}ж", "a".repeat(100));
        assert_eq!(segments(&mixed), 2);
    }
}
