//! Text folding for search: lower case, no diacritics, a few letters spelled
//! out ("ł" -> "l", "ß" -> "ss"), with a map back to the original text so a
//! snippet can show the words as written.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folded text and, for every byte of it, the byte offset of the original
/// character it came from.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// `origin[i]` is the offset in the original of the char behind byte `i`.
    pub origin: Vec<u32>,
}

fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'ł' => "l",
        'đ' | 'ð' => "d",
        'ø' => "o",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ı' => "i",
        'ħ' => "h",
        'þ' => "th",
        'ŀ' => "l",
        '’' | 'ʼ' | '‘' => "'",
        _ => return None,
    })
}

/// Folds `s` (see the module docs).
pub fn fold(s: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(s.len()),
        origin: Vec::with_capacity(s.len()),
    };
    for (offset, c) in s.char_indices() {
        for lower in c.to_lowercase() {
            if let Some(rep) = special(lower) {
                out.text.push_str(rep);
                out.origin
                    .extend(std::iter::repeat_n(offset as u32, rep.len()));
                continue;
            }
            decompose_canonical(lower, |d| {
                if !is_combining_mark(d) {
                    out.text.push(d);
                    out.origin
                        .extend(std::iter::repeat_n(offset as u32, d.len_utf8()));
                }
            });
        }
    }
    out
}

/// Folds `s` and returns only the text.
pub fn fold_text(s: &str) -> String {
    fold(s).text
}

/// Folds `s` onto the end of `out` (the text of [`fold_text`], without the
/// map back to the original; ASCII takes a fast path).
pub fn fold_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            if let Some(rep) = special(lower) {
                out.push_str(rep);
                continue;
            }
            decompose_canonical(lower, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_and_case_fold_away() {
        assert_eq!(fold_text("Poliție"), "politie");
        assert_eq!(fold_text("ŁÓDŹ"), "lodz");
        assert_eq!(fold_text("Straße"), "strasse");
        assert_eq!(fold_text("Prostitución"), "prostitucion");
        assert_eq!(fold_text("Žrtve trgovanja"), "zrtve trgovanja");
        assert_eq!(fold_text("Ёлка"), "елка");
        assert_eq!(fold_text("Mänskohandel"), "manskohandel");
    }

    #[test]
    fn fold_into_matches_fold_text() {
        for s in [
            "Poliție ŁÓDŹ Straße",
            "Ёлка Mänskohandel",
            "plain ASCII Text 42",
            "’ʼ‘ þæ œ",
        ] {
            let mut out = String::from(">");
            fold_into(s, &mut out);
            assert_eq!(out, format!(">{}", fold_text(s)), "{s}");
        }
    }

    #[test]
    fn origin_points_back_to_the_original() {
        let s = "Añ ł";
        let f = fold(s);
        assert_eq!(f.text, "an l");
        assert_eq!(f.origin.len(), f.text.len());
        assert_eq!(f.origin[1], 1, "n came from ñ at byte 1");
        assert_eq!(f.origin[3], 4, "l came from ł at byte 4");
    }
}
