//! `Token`: the `system|code` text FHIR search and the Argonaut operations use for coded values.

use std::fmt;

use crate::{CodeableConcept, ModelError};

/// A coded value as search token text: `system|code`, `|code` (no system) or `code` (any system).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    /// `None` = any system (`code`); `Some("")` = explicitly no system (`|code`).
    pub system: Option<String>,
    pub code: String,
}

impl Token {
    /// A token with a system.
    pub fn new(system: &str, code: &str) -> Self {
        Self {
            system: Some(system.to_owned()),
            code: code.to_owned(),
        }
    }

    /// Parses token text. The code may not be empty; a `system|` with no code is refused.
    pub fn parse(text: &str) -> Result<Self, ModelError> {
        let bad = |reason: &str| ModelError::InvalidParameter {
            name: "token".to_owned(),
            reason: format!("'{text}': {reason}"),
        };
        let (system, code) = match text.split_once('|') {
            Some((s, c)) => (Some(s.to_owned()), c),
            None => (None, text),
        };
        if code.is_empty() {
            return Err(bad("a code is required (system|code)"));
        }
        if code.contains('|') {
            return Err(bad("more than one '|'"));
        }
        Ok(Self {
            system,
            code: code.to_owned(),
        })
    }

    /// Whether `concept` carries this token's code (and system, when the token names one).
    pub fn matches(&self, concept: &CodeableConcept) -> bool {
        concept.coding.iter().any(|c| {
            c.code.as_deref() == Some(self.code.as_str())
                && match self.system.as_deref() {
                    None => true,
                    Some("") => c.system.is_none(),
                    Some(s) => c.system.as_deref() == Some(s),
                }
        })
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.system {
            Some(s) => write!(f, "{s}|{}", self.code),
            None => f.write_str(&self.code),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn parses_the_three_token_forms_and_prints_them_back() {
        for text in ["http://snomed.info/sct|394582007", "|x", "mri"] {
            assert_eq!(Token::parse(text).unwrap().to_string(), text);
        }
        assert!(Token::parse("http://snomed.info/sct|").is_err());
        assert!(Token::parse("").is_err());
    }

    #[test]
    fn matches_codings_by_system_and_code() {
        let derm = CodeableConcept::coded("http://snomed.info/sct", "394582007", "Dermatology");
        assert!(
            Token::parse("http://snomed.info/sct|394582007")
                .unwrap()
                .matches(&derm)
        );
        assert!(Token::parse("394582007").unwrap().matches(&derm));
        assert!(
            !Token::parse("http://other|394582007")
                .unwrap()
                .matches(&derm)
        );
        assert!(!Token::parse("|394582007").unwrap().matches(&derm));
    }
}
