//! Word lists for generated people and places (invented; any resemblance is chance).

pub const FAMILY: [&str; 32] = [
    "Alvarez",
    "Bennett",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ibrahim",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Santos",
    "Tanaka",
    "Urquhart",
    "Varga",
    "Wallace",
    "Xu",
    "Yamada",
    "Zimmerman",
    "Hughes",
    "Murphy",
    "Novak",
    "Oduya",
    "Pereira",
    "Reyes",
];

pub const GIVEN_FEMALE: [&str; 16] = [
    "Amelia", "Beatriz", "Chloe", "Dana", "Elena", "Farah", "Grace", "Hana", "Isla", "Julia",
    "Keiko", "Lena", "Maya", "Nora", "Olivia", "Priya",
];

pub const GIVEN_MALE: [&str; 16] = [
    "Aaron", "Bruno", "Caleb", "Daniel", "Emil", "Felix", "Gabriel", "Hugo", "Ivan", "Jonah",
    "Kenji", "Luca", "Mateo", "Noah", "Omar", "Peter",
];

pub const STREETS: [&str; 8] = [
    "Oak Avenue",
    "Harbor Road",
    "Mill Street",
    "Cedar Lane",
    "Elm Street",
    "Park Drive",
    "River Road",
    "Church Street",
];

/// (city, state, postal code)
pub const CITIES: [(&str, &str, &str); 6] = [
    ("Springfield", "IL", "62701"),
    ("Madison", "WI", "53703"),
    ("Ann Arbor", "MI", "48104"),
    ("Rochester", "MN", "55901"),
    ("Dayton", "OH", "45402"),
    ("Evanston", "IL", "60201"),
];

/// (name, plan display)
pub const PAYERS: [(&str, &str); 3] = [
    ("Acme Health Plan", "Acme Gold PPO"),
    ("Northstar Mutual", "Northstar HMO Select"),
    ("Great Lakes Medicaid", "Great Lakes Medicaid Standard"),
];
