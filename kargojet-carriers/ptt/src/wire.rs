//! PTT's wire types, exactly as the Axis2 services name them: the acceptance service
//! (`http://kabul.ptt.gov.tr`, `kabulEkle2`, `etiketGetir`, `barkodVeriSil`) and the tracking
//! service (`http://takip.ptt.gov.tr`, `gonderiSorgu`). Requests serialize with the `xsd:`
//! prefix in the ADB `xs:sequence` order (alphabetical), responses with the `ax:` prefix Axis2
//! uses. The client serializes requests and parses responses (see [`crate::parse`]); the
//! simulator parses requests and serializes responses with the same types.

use serde::Serialize;

/// Namespace of the acceptance service's operations.
pub const NS_KABUL: &str = "http://kabul.ptt.gov.tr";
/// Namespace of the acceptance service's types.
pub const NS_KABUL_XSD: &str = "http://kabul.ptt.gov.tr/xsd";
/// Namespace of the tracking service's operations.
pub const NS_TAKIP: &str = "http://takip.ptt.gov.tr";
/// Namespace of the tracking service's types.
pub const NS_TAKIP_XSD: &str = "http://takip.ptt.gov.tr/xsd";

/// Path of the acceptance service ("veri yükleme").
pub const PATH_ACCEPTANCE: &str = "/PttVeriYukleme/services/Sorgu";
/// Path of the acceptance test service.
pub const PATH_ACCEPTANCE_TEST: &str = "/PttVeriYuklemeTest/services/Sorgu";
/// Path of the tracking V2 service.
pub const PATH_TRACKING: &str = "/GonderiTakipV2/services/Sorgu";

/// Operation names (also the SOAP actions the client sends).
pub mod op {
    /// Create a shipment batch (SOAP 1.2).
    pub const KABUL_EKLE2: &str = "kabulEkle2";
    /// Fetch the EPL label.
    pub const ETIKET_GETIR: &str = "etiketGetir";
    /// Delete (cancel) by barcode (SOAP 1.1).
    pub const BARKOD_VERI_SIL: &str = "barkodVeriSil";
    /// Delete every record with a reference.
    pub const REFERANS_VERI_SIL: &str = "referansVeriSil";
    /// Track by barcode (SOAP 1.1).
    pub const GONDERI_SORGU: &str = "gonderiSorgu";
    /// Track by merchant reference.
    pub const GONDERI_SORGU_REFERANS_NO: &str = "gonderiSorgu_referansNo";
}

/// Schema order of `kab:input` (type `Input`) children of `kabulEkle2`.
pub const KABUL_INPUT_ORDER: &[&str] = &[
    "dongu",
    "dosyaAdi",
    "gonderiTip",
    "gonderiTur",
    "kullanici",
    "musteriId",
    "sifre",
];

/// Schema order of `dongu` (type `InputDongu2`) children.
pub const DONGU_ORDER: &[&str] = &[
    "aAdres",
    "aIlKodu",
    "aIlceKodu",
    "agirlik",
    "aliciAdi",
    "aliciEmail",
    "aliciIlAdi",
    "aliciIlceAdi",
    "aliciSms",
    "aliciTel",
    "barkodNo",
    "boy",
    "deger_ucreti",
    "desi",
    "ekhizmet",
    "en",
    "gondericibilgi",
    "iadeAAdres",
    "iadeAIlKodu",
    "iadeAIlceKodu",
    "iadeAliciAdi",
    "iadeAliciEmail",
    "iadeAliciIlAdi",
    "iadeAliciIlceAdi",
    "iadeAliciTel",
    "musteriReferansNo",
    "odeme_sart_ucreti",
    "odemesekli",
    "rezerve1",
    "ucret",
    "yukseklik",
];

/// Schema order of `gondericibilgi` children.
pub const GONDERICI_ORDER: &[&str] = &[
    "gonderici_adi",
    "gonderici_adresi",
    "gonderici_email",
    "gonderici_il_ad",
    "gonderici_ilce_ad",
    "gonderici_posta_kodu",
    "gonderici_sms",
    "gonderici_soyadi",
    "gonderici_telefonu",
    "gonderici_ulke_id",
];

/// Schema order of `kab:inpDelete` children.
pub const DELETE_ORDER: &[&str] = &["barcode", "dosyaAdi", "musteriId", "sifre"];
/// Schema order of `etiketGetir` input children.
pub const LABEL_ORDER: &[&str] = &["barkodNo", "musteriId", "sifre"];
/// Schema order of `tak:input` children of `gonderiSorgu`.
pub const TRACK_ORDER: &[&str] = &["barkod", "kullanici", "sifre"];

/// `kab:kabulEkle2`: the create request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KabulEkle2 {
    /// Namespace binding of `kab:`.
    #[serde(rename = "@xmlns:kab")]
    pub xmlns_kab: &'static str,
    /// Namespace binding of `xsd:`.
    #[serde(rename = "@xmlns:xsd")]
    pub xmlns_xsd: &'static str,
    /// The single `kab:input` wrapper.
    #[serde(rename = "kab:input")]
    pub input: KabulInput,
}

/// `kab:input` of `kabulEkle2` (children in schema order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct KabulInput {
    /// One block per parcel/barcode.
    #[serde(rename = "xsd:dongu")]
    pub dongu: Vec<Dongu>,
    /// Batch (file) name chosen by the merchant; needed for delete.
    #[serde(rename = "xsd:dosyaAdi")]
    pub dosya_adi: String,
    /// `NORMAL`.
    #[serde(rename = "xsd:gonderiTip")]
    pub gonderi_tip: String,
    /// `KARGO`.
    #[serde(rename = "xsd:gonderiTur")]
    pub gonderi_tur: String,
    /// User name, `PttWs` in every sample.
    #[serde(rename = "xsd:kullanici")]
    pub kullanici: String,
    /// Customer id (`xs:int`).
    #[serde(rename = "xsd:musteriId")]
    pub musteri_id: String,
    /// Password.
    #[serde(rename = "xsd:sifre")]
    pub sifre: String,
}

/// `dongu` (type `InputDongu2`): one parcel, children in schema order. Optional fields that are
/// `None` are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Dongu {
    /// Receiver address text.
    #[serde(rename = "xsd:aAdres")]
    pub a_adres: String,
    /// Receiver il code.
    #[serde(rename = "xsd:aIlKodu", skip_serializing_if = "Option::is_none")]
    pub a_il_kodu: Option<String>,
    /// Receiver ilçe code.
    #[serde(rename = "xsd:aIlceKodu", skip_serializing_if = "Option::is_none")]
    pub a_ilce_kodu: Option<String>,
    /// Weight in grams (`xs:int`).
    #[serde(rename = "xsd:agirlik")]
    pub agirlik: String,
    /// Receiver name.
    #[serde(rename = "xsd:aliciAdi")]
    pub alici_adi: String,
    /// Receiver e-mail.
    #[serde(rename = "xsd:aliciEmail", skip_serializing_if = "Option::is_none")]
    pub alici_email: Option<String>,
    /// Receiver il name (upper case).
    #[serde(rename = "xsd:aliciIlAdi")]
    pub alici_il_adi: String,
    /// Receiver ilçe name (upper case).
    #[serde(rename = "xsd:aliciIlceAdi")]
    pub alici_ilce_adi: String,
    /// Receiver GSM, 10 digits.
    #[serde(rename = "xsd:aliciSms", skip_serializing_if = "Option::is_none")]
    pub alici_sms: Option<String>,
    /// Receiver phone, 10 digits.
    #[serde(rename = "xsd:aliciTel")]
    pub alici_tel: String,
    /// Barcode from the PTT-allocated range.
    #[serde(rename = "xsd:barkodNo")]
    pub barkod_no: String,
    /// Length, cm.
    #[serde(rename = "xsd:boy")]
    pub boy: String,
    /// Declared value (with `DK`).
    #[serde(rename = "xsd:deger_ucreti", skip_serializing_if = "Option::is_none")]
    pub deger_ucreti: Option<String>,
    /// Desi.
    #[serde(rename = "xsd:desi")]
    pub desi: String,
    /// Concatenated extra-service codes (`OS`, `SB`, `DK`, …).
    #[serde(rename = "xsd:ekhizmet", skip_serializing_if = "Option::is_none")]
    pub ekhizmet: Option<String>,
    /// Width, cm.
    #[serde(rename = "xsd:en")]
    pub en: String,
    /// Sender block.
    #[serde(rename = "xsd:gondericibilgi")]
    pub gondericibilgi: GondericiBilgi,
    /// Merchant reference.
    #[serde(
        rename = "xsd:musteriReferansNo",
        skip_serializing_if = "Option::is_none"
    )]
    pub musteri_referans_no: Option<String>,
    /// COD amount (with `OS`), `0.00` format.
    #[serde(
        rename = "xsd:odeme_sart_ucreti",
        skip_serializing_if = "Option::is_none"
    )]
    pub odeme_sart_ucreti: Option<String>,
    /// Payment: `MH` (sender's account), `UA` (receiver pays), `N` (cash).
    #[serde(rename = "xsd:odemesekli")]
    pub odemesekli: String,
    /// Posta çeki account for COD payouts.
    #[serde(rename = "xsd:rezerve1", skip_serializing_if = "Option::is_none")]
    pub rezerve1: Option<String>,
    /// Height, cm.
    #[serde(rename = "xsd:yukseklik")]
    pub yukseklik: String,
}

/// `gondericibilgi`: the sender (children alphabetical).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct GondericiBilgi {
    /// First name(s) or company name.
    #[serde(rename = "xsd:gonderici_adi")]
    pub adi: String,
    /// Address text.
    #[serde(rename = "xsd:gonderici_adresi")]
    pub adresi: String,
    /// E-mail.
    #[serde(
        rename = "xsd:gonderici_email",
        skip_serializing_if = "Option::is_none"
    )]
    pub email: Option<String>,
    /// Il name (upper case).
    #[serde(rename = "xsd:gonderici_il_ad")]
    pub il_ad: String,
    /// Ilçe name (upper case).
    #[serde(rename = "xsd:gonderici_ilce_ad")]
    pub ilce_ad: String,
    /// Postal code.
    #[serde(
        rename = "xsd:gonderici_posta_kodu",
        skip_serializing_if = "Option::is_none"
    )]
    pub posta_kodu: Option<String>,
    /// GSM for SMS.
    #[serde(rename = "xsd:gonderici_sms", skip_serializing_if = "Option::is_none")]
    pub sms: Option<String>,
    /// Surname (last word of the name).
    #[serde(
        rename = "xsd:gonderici_soyadi",
        skip_serializing_if = "Option::is_none"
    )]
    pub soyadi: Option<String>,
    /// Phone.
    #[serde(
        rename = "xsd:gonderici_telefonu",
        skip_serializing_if = "Option::is_none"
    )]
    pub telefonu: Option<String>,
    /// Country id, `052` = Türkiye.
    #[serde(rename = "xsd:gonderici_ulke_id")]
    pub ulke_id: String,
}

/// `kab:barkodVeriSil`: cancel by barcode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BarkodVeriSil {
    /// Namespace binding of `kab:`.
    #[serde(rename = "@xmlns:kab")]
    pub xmlns_kab: &'static str,
    /// Namespace binding of `xsd:`.
    #[serde(rename = "@xmlns:xsd")]
    pub xmlns_xsd: &'static str,
    /// The `kab:inpDelete` wrapper.
    #[serde(rename = "kab:inpDelete")]
    pub inp_delete: InpDelete,
}

/// `kab:inpDelete`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct InpDelete {
    /// The barcode.
    #[serde(rename = "xsd:barcode")]
    pub barcode: String,
    /// The batch name it was loaded with.
    #[serde(rename = "xsd:dosyaAdi", skip_serializing_if = "Option::is_none")]
    pub dosya_adi: Option<String>,
    /// Customer id.
    #[serde(rename = "xsd:musteriId")]
    pub musteri_id: String,
    /// Password.
    #[serde(rename = "xsd:sifre")]
    pub sifre: String,
}

/// `kab:etiketGetir`: the label request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EtiketGetir {
    /// Namespace binding of `kab:`.
    #[serde(rename = "@xmlns:kab")]
    pub xmlns_kab: &'static str,
    /// Namespace binding of `xsd:`.
    #[serde(rename = "@xmlns:xsd")]
    pub xmlns_xsd: &'static str,
    /// The `kab:input` wrapper.
    #[serde(rename = "kab:input")]
    pub input: EtiketInput,
}

/// `kab:input` of `etiketGetir`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct EtiketInput {
    /// The barcode.
    #[serde(rename = "xsd:barkodNo")]
    pub barkod_no: String,
    /// Customer id.
    #[serde(rename = "xsd:musteriId")]
    pub musteri_id: String,
    /// Password.
    #[serde(rename = "xsd:sifre")]
    pub sifre: String,
}

/// `tak:gonderiSorgu`: track by barcode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GonderiSorgu {
    /// Namespace binding of `tak:`.
    #[serde(rename = "@xmlns:tak")]
    pub xmlns_tak: &'static str,
    /// Namespace binding of `xsd:`.
    #[serde(rename = "@xmlns:xsd")]
    pub xmlns_xsd: &'static str,
    /// The `tak:input` wrapper.
    #[serde(rename = "tak:input")]
    pub input: TakipInput,
}

/// `tak:input` of `gonderiSorgu`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct TakipInput {
    /// The barcode.
    #[serde(rename = "xsd:barkod")]
    pub barkod: String,
    /// User: the customer number.
    #[serde(rename = "xsd:kullanici")]
    pub kullanici: String,
    /// Password.
    #[serde(rename = "xsd:sifre")]
    pub sifre: String,
}

/// `kabulEkle2Response/return`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct KabulReturn {
    /// Batch-level message (`BAŞARILI`, `Kullanıcı Şifre Hatalı`).
    #[serde(rename = "ax:aciklama")]
    pub aciklama: String,
    /// One result per `dongu` sent.
    #[serde(rename = "ax:dongu")]
    pub dongu: Vec<DonguSonuc>,
    /// Batch-level outcome: `1` success, `-1` bad credentials.
    #[serde(rename = "ax:hataKodu")]
    pub hata_kodu: String,
}

/// `return/dongu` of `kabulEkle2Response`: the outcome for one barcode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct DonguSonuc {
    /// Tracking URL (documented; in practice the URL arrives in `donguAciklama`).
    #[serde(rename = "ax:Barkod_quid", skip_serializing_if = "Option::is_none")]
    pub barkod_quid: Option<String>,
    /// The barcode.
    #[serde(rename = "ax:barkod")]
    pub barkod: String,
    /// Message or tracking URL.
    #[serde(rename = "ax:donguAciklama")]
    pub dongu_aciklama: String,
    /// Per-barcode outcome, `1` success.
    #[serde(rename = "ax:donguHataKodu")]
    pub dongu_hata_kodu: String,
    /// `true` on success.
    #[serde(rename = "ax:donguSonuc", skip_serializing_if = "Option::is_none")]
    pub dongu_sonuc: Option<bool>,
}

/// `return` of `barkodVeriSil` / `referansVeriSil` (`OutputDelete`) and of `etiketGetir`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct SimpleReturn {
    /// Message.
    #[serde(rename = "ax:aciklama")]
    pub aciklama: String,
    /// EPL2 label text (only `etiketGetir`).
    #[serde(rename = "ax:epl_format", skip_serializing_if = "Option::is_none")]
    pub epl_format: Option<String>,
    /// Outcome, `1` success.
    #[serde(rename = "ax:hataKodu")]
    pub hata_kodu: String,
}

/// `gonderiSorguResponse/return`: the shipment and its movements. Every field is optional:
/// an unknown barcode gives an empty `return`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct TakipReturn {
    /// Receiver.
    #[serde(rename = "ax:ALICI", skip_serializing_if = "Option::is_none")]
    pub alici: Option<String>,
    /// Barcode.
    #[serde(rename = "ax:BARNO", skip_serializing_if = "Option::is_none")]
    pub barno: Option<String>,
    /// Sender.
    #[serde(rename = "ax:GONDEREN", skip_serializing_if = "Option::is_none")]
    pub gonderen: Option<String>,
    /// Weight measured at acceptance, grams.
    #[serde(rename = "ax:GR", skip_serializing_if = "Option::is_none")]
    pub gr: Option<String>,
    /// Acceptance date.
    #[serde(rename = "ax:ITARIH", skip_serializing_if = "Option::is_none")]
    pub itarih: Option<String>,
    /// Signed by (only once delivered).
    #[serde(rename = "ax:TESALAN", skip_serializing_if = "Option::is_none")]
    pub tesalan: Option<String>,
    /// Destination office.
    #[serde(rename = "ax:VMERK", skip_serializing_if = "Option::is_none")]
    pub vmerk: Option<String>,
    /// Movements.
    #[serde(rename = "ax:dongu")]
    pub dongu: Vec<Hareket>,
    /// Message (unreliable).
    #[serde(rename = "ax:sonucAciklama", skip_serializing_if = "Option::is_none")]
    pub sonuc_aciklama: Option<String>,
    /// Result code (unreliable: the test system returns `10` for success).
    #[serde(rename = "ax:sonucKodu", skip_serializing_if = "Option::is_none")]
    pub sonuc_kodu: Option<String>,
}

/// One movement (`dongu`) of a tracking answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Hareket {
    /// Movement code (`IKODU`).
    #[serde(rename = "ax:IKODU")]
    pub ikodu: String,
    /// Office where it happened.
    #[serde(rename = "ax:IMERK")]
    pub imerk: String,
    /// Time, `HH:mm:ss`.
    #[serde(rename = "ax:ISAAT")]
    pub isaat: String,
    /// Wording.
    #[serde(rename = "ax:ISLEM")]
    pub islem: String,
    /// Date, `dd/MM/yyyy`.
    #[serde(rename = "ax:ITARIH")]
    pub itarih: String,
    /// Sequence number; highest = latest.
    #[serde(rename = "ax:siraNo")]
    pub sira_no: String,
}

/// An Axis2 response body element: `<ns:{op}Response xmlns:ns=… xmlns:ax=…><ns:return>…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response<T> {
    /// Namespace binding of `ns:` (the service namespace).
    #[serde(rename = "@xmlns:ns")]
    pub xmlns_ns: &'static str,
    /// Namespace binding of `ax:` (the types namespace).
    #[serde(rename = "@xmlns:ax")]
    pub xmlns_ax: &'static str,
    /// The `return` element.
    #[serde(rename = "ns:return")]
    pub ret: T,
}

/// Serializes a body element under `root` (e.g. `kab:kabulEkle2`) to an XML string.
pub fn to_xml<T: Serialize>(root: &str, value: &T) -> Result<String, quick_xml::SeError> {
    quick_xml::se::to_string_with_root(root, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_orders_are_alphabetical_as_axis2_generates_them() {
        for order in [
            KABUL_INPUT_ORDER,
            DONGU_ORDER,
            GONDERICI_ORDER,
            DELETE_ORDER,
            LABEL_ORDER,
            TRACK_ORDER,
        ] {
            assert!(
                order.windows(2).all(|w| w[0] < w[1]),
                "{order:?} is not sorted"
            );
        }
    }
}
