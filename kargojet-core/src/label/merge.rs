//! Merging PDFs (carrier labels and KargoJet labels) into one print file with `lopdf`.
//!
//! Every page of every input is kept in order, with its inherited attributes (`Resources`,
//! `MediaBox`, `CropBox`, `Rotate`) copied onto the page. Document-level features are dropped:
//! outlines, forms (AcroForm), named destinations, metadata. Encrypted PDFs are rejected.

use crate::error::{Code, Error, Result};
use crate::shipment::{Label, LabelFormat};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::BTreeMap;

const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

fn invalid(i: usize, detail: impl Into<String>) -> Error {
    Error::invalid(Code::LabelInvalidPdf, format!("labels[{i}]"), detail)
}

/// Looks up `key` on the page or its nearest ancestor page tree node.
fn inherited(doc: &Document, page: &Dictionary, key: &[u8]) -> Option<Object> {
    let mut node = page.get(b"Parent").and_then(Object::as_reference).ok();
    for _ in 0..64 {
        let id = node?;
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(v) = dict.get(key) {
            return Some(v.clone());
        }
        node = dict.get(b"Parent").and_then(Object::as_reference).ok();
    }
    None
}

/// Merges PDF labels into one PDF, pages in input order.
pub fn merge_pdfs(labels: &[Label]) -> Result<Label> {
    if labels.is_empty() {
        return Err(Error::invalid(
            Code::LabelInvalidData,
            "labels",
            "no PDF to merge",
        ));
    }
    let mut objects: BTreeMap<ObjectId, Object> = BTreeMap::new();
    let mut pages: Vec<ObjectId> = Vec::new();
    let mut next_id = 1;
    for (i, label) in labels.iter().enumerate() {
        if label.format != LabelFormat::Pdf {
            return Err(Error::invalid(
                Code::UnsupportedLabelFormat,
                format!("labels[{i}].format"),
                format!("{:?} cannot be merged into a PDF", label.format),
            ));
        }
        let mut doc = Document::load_mem(&label.bytes)
            .map_err(|e| invalid(i, format!("not a readable PDF: {e}")))?;
        if doc.is_encrypted() {
            return Err(invalid(i, "encrypted PDFs cannot be merged"));
        }
        doc.renumber_objects_with(next_id);
        next_id = doc.max_id + 1;
        let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
        if page_ids.is_empty() {
            return Err(invalid(i, "the PDF has no pages"));
        }
        for id in &page_ids {
            let page = doc
                .get_dictionary(*id)
                .map_err(|e| invalid(i, format!("page {id:?}: {e}")))?;
            let missing: Vec<(&[u8], Object)> = INHERITED
                .iter()
                .filter(|k| page.get(k).is_err())
                .filter_map(|k| inherited(&doc, page, k).map(|v| (*k, v)))
                .collect();
            let page = doc
                .get_dictionary_mut(*id)
                .map_err(|e| invalid(i, format!("page {id:?}: {e}")))?;
            for (k, v) in missing {
                page.set(k, v);
            }
        }
        pages.extend(page_ids);
        for (id, obj) in doc.objects {
            let skip = matches!(
                obj.type_name(),
                Ok(b"Catalog" | b"Pages" | b"ObjStm" | b"XRef" | b"Outlines")
            );
            if !skip {
                objects.insert(id, obj);
            }
        }
    }
    let pages_id = (next_id, 0);
    let catalog_id = (next_id + 1, 0);
    for id in &pages {
        if let Some(Object::Dictionary(d)) = objects.get_mut(id) {
            d.set("Parent", Object::Reference(pages_id));
        }
    }
    let mut tree = Dictionary::new();
    tree.set("Type", Object::Name(b"Pages".to_vec()));
    tree.set("Count", Object::Integer(pages.len() as i64));
    tree.set(
        "Kids",
        Object::Array(pages.iter().map(|p| Object::Reference(*p)).collect()),
    );
    objects.insert(pages_id, Object::Dictionary(tree));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    objects.insert(catalog_id, Object::Dictionary(catalog));

    let mut out = Document::with_version("1.7");
    out.objects = objects;
    out.max_id = next_id + 1;
    out.trailer.set("Root", Object::Reference(catalog_id));
    let mut bytes = Vec::new();
    out.save_to(&mut bytes)
        .map_err(|e| Error::internal(format!("writing the merged PDF failed: {e}")))?;
    Ok(Label {
        format: LabelFormat::Pdf,
        bytes,
    })
}
