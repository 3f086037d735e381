//! The OpenAPI 3.1 document, generated from the handlers' annotations and the DTO types. A
//! modifier adds what every operation shares: the security schemes, the coded error responses
//! and the `Accept-Language` and `X-Request-Id` headers.

use super::dto::{admin, bulk, common, input, insights, views, wallet};
use super::routes::{self, accounts, admin as admin_routes, ops, quotes, shipments, webhooks};
use crate::auth::roles::Role;
use crate::error::{ErrorBody, ErrorDetail};
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "KargoJet API",
        description = "KargoJet over HTTP: quotes across every Turkish carrier, shipments (idempotent), labels (PDF/ZPL), tracking, bulk uploads, the wallet and carrier accounts. Errors are JSON with a stable `code`, Turkish and English messages and the field path; `Accept-Language: tr` or `en` picks `message`. Authenticate with `Authorization: Bearer <API key or session token>`. Tariffs on the sandbox are illustrative, not real prices.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        quotes::create_quote,
        shipments::create_shipment,
        shipments::list_shipments,
        shipments::get_shipment,
        shipments::cancel_shipment,
        shipments::create_return,
        shipments::get_label,
        shipments::get_tracking,
        shipments::refresh_tracking,
        routes::bulk::upload,
        routes::bulk::get_bulk,
        routes::bulk::get_errors,
        routes::bulk::purchase,
        routes::bulk::get_labels,
        routes::wallet::get_wallet,
        routes::wallet::list_holds,
        routes::wallet::list_transactions,
        routes::wallet::create_top_up,
        routes::wallet::get_statement,
        accounts::list_carriers,
        routes::insights::get_insights,
        routes::insights::get_findings,
        routes::insights::ask,
        accounts::list_accounts,
        accounts::create_account,
        accounts::get_account,
        accounts::update_account,
        accounts::delete_account,
        webhooks::receive,
        routes::outbound::create_subscription,
        routes::outbound::list_subscriptions,
        routes::outbound::delete_subscription,
        routes::outbound::rotate_secret,
        routes::outbound::list_deliveries,
        routes::outbound::redeliver,
        admin_routes::login,
        admin_routes::list_keys,
        admin_routes::create_key,
        admin_routes::revoke_key,
        admin_routes::list_users,
        admin_routes::create_user,
        admin_routes::get_company,
        admin_routes::set_sender,
        admin_routes::list_audit,
        admin_routes::get_clock,
        admin_routes::advance_clock,
        ops::healthz,
        ops::readyz,
    ),
    components(schemas(
        ErrorBody, ErrorDetail, Role,
        shipments::LabelFormatParam, shipments::LabelSourceParam,
        routes::bulk::ReportFormat, routes::wallet::StatementFormat,
        common::MoneyView, common::CarrierCode,
        input::QuoteBody, input::ShipBody, input::ReturnBody, input::ShipmentInput,
        input::PartyInput, input::AddressInput, input::ParcelInput, input::PolicyInput,
        input::RankInput, input::CodPaymentInput,
        views::QuoteView, views::OfferView, views::PriceView, views::ExclusionView,
        views::TransitView, views::ShipmentView, views::ShipmentPage, views::PartyView,
        views::AddressView, views::ParcelView, views::CodView, views::EventView,
        views::MeasurementView, views::TrackingView,
        wallet::BalancesView, wallet::HoldView, wallet::HoldsView, wallet::TransactionView,
        wallet::TransactionsView, wallet::TopUpBody, wallet::TopUpView,
        bulk::BulkView, bulk::PlanView, bulk::PlannedRowView, bulk::CarrierTotalView,
        bulk::PurchaseView, bulk::ShippedRowView, bulk::RowErrorView,
        admin::LoginBody, admin::SessionView, admin::CreateApiKeyBody, admin::ApiKeyView,
        admin::ApiKeyCreated, admin::ApiKeyList, admin::CreateUserBody, admin::UserView,
        admin::UserList, admin::CompanyView, admin::CarrierAccountBody,
        admin::CarrierAccountPatch, admin::CarrierAccountView, admin::CodFeeInput, admin::CodFeeView, admin::CarrierAccountList,
        admin::CarrierView, admin::CarrierList, admin::AuditView, admin::AuditList,
        admin::ClockBody, admin::ClockView, admin::HealthView, admin::ReadyView,
        admin::WebhookResult,
        insights::InsightsView, insights::FindingList, insights::FindingView,
        insights::EvidenceView, insights::NarrationView, insights::PeriodView,
        insights::QuestionBody, insights::AnswerView,
        routes::outbound::EventType, routes::outbound::SubscriptionBody,
        routes::outbound::RotateBody, routes::outbound::SubscriptionView,
        routes::outbound::SubscriptionCreated, routes::outbound::SubscriptionList,
        routes::outbound::DeliveryView, routes::outbound::DeliveryPage,
    )),
    tags(
        (name = "quotes", description = "Prices across every carrier (nothing stored)"),
        (name = "shipments", description = "Buy, read, cancel, return, label and track shipments"),
        (name = "bulk", description = "CSV/XLSX shipment lists: plan, then buy"),
        (name = "wallet", description = "Balance, holds, transactions, top-ups, statements"),
        (name = "carrier accounts", description = "The carriers, and sellers' own contracts"),
        (name = "insights", description = "What the shipments say: snapshot, findings, questions"),
        (name = "webhooks", description = "Carrier pushes in; signed event subscriptions and deliveries out"),
        (name = "auth", description = "Sessions, API keys and users"),
        (name = "company", description = "Company profile and audit log"),
        (name = "sandbox", description = "The in-process carrier simulators"),
        (name = "operations", description = "Health"),
    ),
    modifiers(&Shared)
)]
pub struct ApiDoc;

/// Adds the shared parts to every operation.
struct Shared;

const ERRORS: &[(&str, &str)] = &[
    (
        "400",
        "Malformed body or parameter: unknown field, wrong type, bad enum value",
    ),
    ("401", "Missing, invalid, expired or revoked credentials"),
    ("402", "Not enough balance in the wallet"),
    ("403", "The role does not allow this operation"),
    ("404", "Not found (or another company's)"),
    ("405", "Method not allowed"),
    (
        "409",
        "Conflicts with the current state or an earlier request with the same key",
    ),
    ("413", "Body too large"),
    ("415", "Unsupported content type"),
    (
        "422",
        "Invalid input (field path in `error.field`), refused by the carrier, or a feature this server has not enabled",
    ),
    ("429", "A carrier's rate limit"),
    ("500", "Internal error"),
    ("502", "A carrier failed or answered something unreadable"),
    (
        "503",
        "Not ready, or a shipment not yet confirmed by the carrier (retry with the same key)",
    ),
    ("504", "A carrier did not answer in time"),
];

fn header_param(name: &str, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(
            utoipa::openapi::schema::ObjectBuilder::new().schema_type(
                utoipa::openapi::schema::SchemaType::Type(utoipa::openapi::schema::Type::String),
            ),
        ))
        .build()
}

fn add_shared(path: &str, op: &mut Operation) {
    let public = matches!(path, "/v1/auth/login" | "/healthz" | "/readyz")
        || path.starts_with("/v1/webhooks/carriers/");
    if !public {
        op.security = Some(vec![
            SecurityRequirement::new("api_key", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ]);
    }
    if path.starts_with("/v1/") {
        for (status, description) in ERRORS {
            op.responses
                .responses
                .entry((*status).to_string())
                .or_insert_with(|| {
                    RefOr::T(
                        ResponseBuilder::new()
                            .description(*description)
                            .content(
                                "application/json",
                                ContentBuilder::new()
                                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                                    .build(),
                            )
                            .build(),
                    )
                });
        }
        let params = op.parameters.get_or_insert_with(Vec::new);
        params.push(RefOr::T(header_param(
            "Accept-Language",
            "`tr` (default) or `en`: the language of error messages",
        )));
        params.push(RefOr::T(header_param(
            "X-Request-Id",
            "Your id for this request (echoed back; generated when absent)",
        )));
    }
}

/// Links from the operations that create objects to those that use them, so clients and
/// fuzzers can follow a created object's id.
const LINKS: &[(&str, &str, &str, &[&str])] = &[
    (
        "/v1/shipments",
        "201",
        "$response.body#/id",
        &[
            "getShipment",
            "getLabel",
            "getTracking",
            "refreshTracking",
            "cancelShipment",
            "createReturn",
        ],
    ),
    (
        "/v1/shipments/bulk",
        "201",
        "$response.body#/id",
        &["getBulk", "getBulkErrors", "purchaseBulk", "getBulkLabels"],
    ),
    (
        "/v1/carrier-accounts",
        "201",
        "$response.body#/id",
        &[
            "getCarrierAccount",
            "updateCarrierAccount",
            "deleteCarrierAccount",
        ],
    ),
    (
        "/v1/webhooks/subscriptions",
        "201",
        "$response.body#/subscription/id",
        &["deleteWebhookSubscription", "rotateWebhookSecret"],
    ),
];

fn add_links(doc: &mut utoipa::openapi::OpenApi) {
    for (path, status, value, targets) in LINKS {
        let Some(op) = doc.paths.paths.get_mut(*path).and_then(|p| p.post.as_mut()) else {
            continue;
        };
        let Some(RefOr::T(resp)) = op.responses.responses.get_mut(*status) else {
            continue;
        };
        for t in *targets {
            resp.links.insert(
                (*t).to_string(),
                RefOr::T(
                    utoipa::openapi::link::LinkBuilder::new()
                        .operation_id(*t)
                        .parameter("id", *value)
                        .build(),
                ),
            );
        }
    }
}

impl Modify for Shared {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        add_links(doc);
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("kj_<id>_<secret>")
                    .description(Some("An API key of a partner system"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("A user session from POST /v1/auth/login"))
                    .build(),
            ),
        );
        for (path, item) in doc.paths.paths.iter_mut() {
            for op in [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.patch.as_mut(),
                item.delete.as_mut(),
            ]
            .into_iter()
            .flatten()
            {
                add_shared(path, op);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_openapi_3_1_with_every_route_secured() {
        let doc = ApiDoc::openapi();
        let json = serde_json::to_value(&doc).unwrap_or_default();
        assert!(
            json["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.1"))
        );
        let quote = &json["paths"]["/v1/quotes"]["post"];
        assert_eq!(quote["operationId"], "createQuote");
        assert!(quote["responses"]["422"].is_object());
        assert!(quote["security"].is_array());
        assert!(json["paths"]["/healthz"]["get"]["security"].is_null());
        assert!(json["components"]["schemas"]["ShipmentInput"].is_object());
    }
}
