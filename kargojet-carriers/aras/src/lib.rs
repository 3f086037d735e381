//! KargoJet connector for Aras Kargo (SOAP/ASMX + WCF) (being written).
