//! KargoJet connector for Yurtiçi Kargo (SOAP 1.1) (being written).
