//! `referral_search`: an FTS5 trigram index over the referrals' display-name and MRN search keys,
//! so that a substring search ("contains") is an index lookup instead of a scan of every row.
//!
//! It is an external-content table: it stores only the index, reads text from `referrals`, and
//! triggers keep it in step with every insert, key change and delete. Added in schema version 6;
//! the migration indexes the rows already in the file.

pub(crate) const MIGRATION_V6: &str = "
CREATE VIRTUAL TABLE referral_search USING fts5 (
    display_key, mrn_key, content = 'referrals', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO referral_search (referral_search) VALUES ('rebuild');
CREATE TRIGGER referral_search_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_search (rowid, display_key, mrn_key)
    VALUES (new.rowid, new.display_key, new.mrn_key);
END;
CREATE TRIGGER referral_search_update AFTER UPDATE OF display_key, mrn_key ON referrals BEGIN
    INSERT INTO referral_search (referral_search, rowid, display_key, mrn_key)
    VALUES ('delete', old.rowid, old.display_key, old.mrn_key);
    INSERT INTO referral_search (rowid, display_key, mrn_key)
    VALUES (new.rowid, new.display_key, new.mrn_key);
END;
CREATE TRIGGER referral_search_delete AFTER DELETE ON referrals BEGIN
    INSERT INTO referral_search (referral_search, rowid, display_key, mrn_key)
    VALUES ('delete', old.rowid, old.display_key, old.mrn_key);
END;
";
