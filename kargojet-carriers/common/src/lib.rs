//! Shared carrier plumbing (being written).
