//! Redaction of personal details from free-text comments before they are
//! shown: e-mail addresses, phone numbers, postcodes, house-number
//! addresses, and names after "my name is" or a title (Mr, Mrs, PC …).

use std::sync::LazyLock;

use regex::Regex;

/// A comment with personal details replaced, and how many were replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub redactions: usize,
}

struct Rule {
    pattern: Regex,
    replacement: &'static str,
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |pattern: &str, replacement: &'static str| Rule {
        pattern: Regex::new(pattern).expect("redaction patterns are valid"),
        replacement,
    };
    vec![
        rule(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", "[email]"),
        // UK numbers: 07700 900123, 01622 690690, +44 7700 900 123, (01227) 123456.
        rule(r"(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?(?:[\s-]?\d){6,8}\b", "[phone]"),
        // Full postcodes (ME14 1XX) — a district alone (ME14) says little and is kept.
        rule(r"(?i)\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", "[postcode]"),
        rule(
            r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z']+\s+){1,3}(?i:road|street|avenue|lane|close|drive|way|crescent|gardens|place|court|terrace|hill|grove|rise|mews|rd|st|ave)\b",
            "[address]",
        ),
        rule(
            r"(?i:\b(my name is|i am called|i'm called|call me))\s+[A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+)?",
            "$1 [name]",
        ),
        rule(
            r"\b(Mr|Mrs|Ms|Miss|Mx|Dr|PC|PCSO|DC|DS|Sgt|Sergeant|Inspector|Officer)\.?\s+[A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+)?",
            "$1 [name]",
        ),
    ]
});

/// Replaces personal details in `text`.
pub fn redact(text: &str) -> Redacted {
    let mut text = text.to_string();
    let mut redactions = 0;
    for rule in RULES.iter() {
        let found = rule.pattern.find_iter(&text).count();
        if found > 0 {
            redactions += found;
            text = rule.pattern.replace_all(&text, rule.replacement).into_owned();
        }
    }
    Redacted { text, redactions }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(text: &str) -> String {
        redact(text).text
    }

    #[test]
    fn names_after_my_name_is_and_titles() {
        assert_eq!(
            redacted("Hello, my name is Sarah Jones and I was burgled."),
            "Hello, my name is [name] and I was burgled."
        );
        assert_eq!(redacted("My name is Tom"), "My name is [name]");
        assert_eq!(
            redacted("PC Patel was brilliant, Mrs Smith next door agrees"),
            "PC [name] was brilliant, Mrs [name] next door agrees"
        );
        assert_eq!(redacted("Dr. Alan Hughes"), "Dr [name]");
    }

    #[test]
    fn phone_numbers_and_emails() {
        assert_eq!(redacted("ring me on 07700 900123 please"), "ring me on [phone] please");
        assert_eq!(redacted("call 01622 690690."), "call [phone].");
        assert_eq!(redacted("+44 7700 900 123"), "[phone]");
        assert_eq!(redacted("email jo.bloggs+kent@example.co.uk now"), "email [email] now");
    }

    #[test]
    fn postcodes_and_addresses() {
        assert_eq!(redacted("I live at 12 High Street, ME14 1XX"), "I live at [address], [postcode]");
        assert_eq!(redacted("outside 4a Station Road in Dover"), "outside [address] in Dover");
        assert_eq!(redacted("near ct9 1ab"), "near [postcode]");
    }

    #[test]
    fn ordinary_comments_are_untouched() {
        for text in [
            "More police officers on the street.",
            "Response time in ME14 is poor.",
            "Quick at attending 999 calls.",
            "I waited 10 days for a reply.",
            "Kent Police is great but well under staffed and under paid!",
        ] {
            let result = redact(text);
            assert_eq!(result.text, text);
            assert_eq!(result.redactions, 0);
        }
        assert_eq!(redact("my name is Ann, phone 07700 900123").redactions, 2);
    }
}
