//! The FHIR STU3 resources Referral Desk exchanges, one file per family.

mod appointment;
mod bundle;
mod capability;
mod coverage;
mod directory;
mod outcome;
mod parameters;
mod patient;
mod referral_request;
mod schedule;

pub use appointment::*;
pub use bundle::*;
pub use capability::*;
pub use coverage::*;
pub use directory::*;
pub use outcome::*;
pub use parameters::*;
pub use patient::*;
pub use referral_request::*;
pub use schedule::*;

/// Declares a zero-sized `resourceType` tag: it serialises as the fixed type name and refuses any
/// other name when deserialising, so a body of the wrong type is reported, not misread.
macro_rules! resource_tag {
    ($tag:ident, $name:literal) => {
        #[doc = concat!("The `resourceType` tag of ", $name, ".")]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $tag;

        impl $tag {
            pub const NAME: &'static str = $name;
        }

        impl serde::Serialize for $tag {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($name)
            }
        }

        impl<'de> serde::Deserialize<'de> for $tag {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let found = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                if found == $name {
                    Ok($tag)
                } else {
                    Err(serde::de::Error::custom(format!(
                        "expected resourceType {}, found {}",
                        $name, found
                    )))
                }
            }
        }
    };
}
pub(crate) use resource_tag;
