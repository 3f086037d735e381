//! KargoJet connector for Sürat Kargo (SOAP/ASMX + REST) (being written).
