//! KargoJet connector for PTT Kargo (SOAP, Axis2) (being written).
