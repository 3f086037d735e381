//! The documented request rules the simulator enforces before it looks at the content:
//! `SOAPAction: ""`, the operation element in the service namespace, every child element
//! unqualified, and only the WSDL's element names (JAX-WS answers anything else with an
//! "Unmarshalling Error" fault).

use crate::wire::{NS, Operation};
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// Why a request was refused before processing: the SOAP fault to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `S:Client` or `S:Server`.
    pub faultcode: &'static str,
    /// The fault text.
    pub faultstring: String,
}

fn client(msg: impl Into<String>) -> Refusal {
    Refusal {
        faultcode: "S:Client",
        faultstring: msg.into(),
    }
}

/// Children the WSDL allows per operation.
pub fn allowed_children(op: Operation) -> &'static [&'static str] {
    match op {
        Operation::CreateShipment => &[
            "wsUserName",
            "wsPassword",
            "userLanguage",
            "ShippingOrderVO",
        ],
        Operation::CancelShipment => &["wsUserName", "wsPassword", "userLanguage", "cargoKeys"],
        Operation::QueryShipment => &[
            "wsUserName",
            "wsPassword",
            "wsLanguage",
            "keys",
            "keyType",
            "addHistoricalData",
            "onlyTracking",
        ],
        Operation::SaveReturnShipmentCode => &[
            "wsUserName",
            "wsPassword",
            "wsLanguage",
            "fieldName",
            "returnCode",
            "startDate",
            "endDate",
            "maxCount",
        ],
        Operation::CancelReturnShipmentCode => &[
            "wsUserName",
            "wsPassword",
            "wsLanguage",
            "fieldName",
            "returnCode",
        ],
    }
}

/// `ShippingOrderVO` children, in WSDL order.
pub const ORDER_CHILDREN: &[&str] = &[
    "cargoKey",
    "invoiceKey",
    "receiverCustName",
    "receiverAddress",
    "cityName",
    "townName",
    "receiverPhone1",
    "receiverPhone2",
    "receiverPhone3",
    "emailAddress",
    "taxOfficeId",
    "taxNumber",
    "taxOfficeName",
    "desi",
    "kg",
    "cargoCount",
    "waybillNo",
    "specialField1",
    "specialField2",
    "specialField3",
    "ttInvoiceAmount",
    "ttDocumentId",
    "ttCollectionType",
    "ttDocumentSaveType",
    "dcSelectedCredit",
    "dcCreditRule",
    "description",
    "orgGeoCode",
    "privilegeOrder",
    "custProdId",
    "orgReceiverCustId",
];

/// Checks the `SOAPAction` header: it must be present and empty (`""`).
pub fn check_soap_action(action: Option<&str>) -> Result<(), Refusal> {
    match action {
        Some("") => Ok(()),
        Some(other) => Err(client(format!(
            "Cannot find dispatch method for SOAPAction \"{other}\"; this service expects \"\""
        ))),
        None => Err(client(
            "SOAPAction header missing; this service expects SOAPAction: \"\"",
        )),
    }
}

fn expected_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("<{{}}{n}>"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads the envelope's operation element and checks namespaces and element names. Returns
/// the operation.
pub fn check_body(text: &str) -> Result<Operation, Refusal> {
    let mut r = NsReader::from_str(text);
    // Open elements: local names. `op_at` is the stack index of the operation element.
    let mut stack: Vec<String> = Vec::new();
    let mut op: Option<(Operation, usize)> = None;
    loop {
        let (res, ev) = r
            .read_resolved_event()
            .map_err(|e| client(format!("XML parse error: {e}")))?;
        let (e, empty) = match &ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let local = e.local_name().as_ref().to_string();
        let ns = match res {
            ResolveResult::Bound(n) => Some(n.into_inner().to_string()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(p) => {
                return Err(client(format!("undeclared namespace prefix '{p}'")));
            }
        };
        let parent = stack.last().map(String::as_str);
        match op {
            None if parent == Some("Body") => {
                let found = Operation::from_name(&local).filter(|_| ns.as_deref() == Some(NS));
                let Some(o) = found else {
                    return Err(client(format!(
                        "Cannot find dispatch method for {{{}}}{local}",
                        ns.unwrap_or_default()
                    )));
                };
                op = Some((o, stack.len()));
            }
            Some((o, at)) if stack.len() > at => {
                let level = stack.len() - at; // 1 = child of the operation element
                let allowed: Option<&[&str]> = match level {
                    1 => Some(allowed_children(o)),
                    2 if stack.get(at + 1).map(String::as_str) == Some("ShippingOrderVO") => {
                        Some(ORDER_CHILDREN)
                    }
                    _ => None,
                };
                let uri = ns.as_deref().unwrap_or("");
                let unknown = allowed.is_some_and(|a| !a.contains(&local.as_str()));
                if ns.is_some() || unknown {
                    return Err(client(format!(
                        "Unmarshalling Error: unexpected element (uri:\"{uri}\", local:\"{local}\"). Expected elements are {}",
                        expected_list(allowed.unwrap_or(&[]))
                    )));
                }
            }
            _ => {}
        }
        if !empty {
            stack.push(local);
        }
    }
    op.map(|(o, _)| o)
        .ok_or_else(|| client("no operation element in the SOAP body"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPEN: &str = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ship=\"http://yurticikargo.com.tr/ShippingOrderDispatcherServices\"><soapenv:Body>";
    const CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

    #[test]
    fn unqualified_children_pass_and_qualified_ones_are_refused() {
        let ok = format!(
            "{OPEN}<ship:queryShipment><wsUserName>U</wsUserName><keys>K</keys></ship:queryShipment>{CLOSE}"
        );
        assert_eq!(check_body(&ok), Ok(Operation::QueryShipment));
        let bad = format!(
            "{OPEN}<ship:queryShipment><ship:wsUserName>U</ship:wsUserName></ship:queryShipment>{CLOSE}"
        );
        let r = check_body(&bad).expect_err("qualified child");
        assert!(r.faultstring.contains("unexpected element (uri:\"http://yurticikargo.com.tr/ShippingOrderDispatcherServices\""), "{r:?}");
        let default_ns = format!(
            "{OPEN}<queryShipment xmlns=\"{NS}\"><wsUserName>U</wsUserName></queryShipment>{CLOSE}"
        );
        assert!(
            check_body(&default_ns).is_err(),
            "a default namespace qualifies the children too"
        );
    }

    #[test]
    fn wrong_names_namespaces_and_actions_are_refused() {
        let lang = format!(
            "{OPEN}<ship:createShipment><wsUserName>U</wsUserName><wsLanguage>TR</wsLanguage></ship:createShipment>{CLOSE}"
        );
        assert!(
            check_body(&lang)
                .expect_err("wsLanguage in create")
                .faultstring
                .contains("local:\"wsLanguage\"")
        );
        let order = format!(
            "{OPEN}<ship:createShipment><ShippingOrderVO><cargoKey>K</cargoKey><cargokey>x</cargokey></ShippingOrderVO></ship:createShipment>{CLOSE}"
        );
        assert!(check_body(&order).is_err());
        let wrong_ns = format!(
            "{OPEN}<x:queryShipment xmlns:x=\"urn:other\"><keys>K</keys></x:queryShipment>{CLOSE}"
        );
        assert!(check_body(&wrong_ns).is_err());
        assert!(check_body(&format!("{OPEN}<ship:labelShipment/>{CLOSE}")).is_err());
        assert!(check_soap_action(Some("")).is_ok());
        assert!(check_soap_action(Some("createShipment")).is_err());
        assert!(check_soap_action(None).is_err());
    }
}
