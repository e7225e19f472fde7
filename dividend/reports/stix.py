"""A published product as STIX 2.1 JSON for partners who run MISP or OpenCTI: a bundle with one
`report` object, a `note` per section, our organisation's `identity`, and the TLP 2.0 marking
definition the product is marked with (the standard objects of OASIS's TLP 2.0 extension, by their
fixed ids; every object carries it in `object_marking_refs`). Written by hand: no dependency.

The cited field reports are not exported (nor their authors): the report says how many it cites.
"""

import datetime as dt
import json
import uuid

from .models import Marking

SPEC = "2.1"
# OASIS cti-stix-common-objects, extension-definition-specifications/tlp-2.0.
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
TLP2_MARKINGS = {
    Marking.CLEAR: ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"),
    Marking.GREEN: ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"),
    Marking.AMBER: ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"),
    Marking.AMBER_STRICT: ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"),
    Marking.RED: ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"),
}
# Our own ids are name-based (UUIDv5), stable per product: a re-export updates, not duplicates.
NAMESPACE = uuid.UUID("6f1c2b53-5f0e-4a55-9a51-3c0d5e1e2d8a")


def _id(kind: str, name: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{name}')}"


def _ts(value) -> str:
    value = value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time(),
                                                                                                  dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def marking_definition(marking: str) -> dict:
    ident, level = TLP2_MARKINGS[marking]
    return {"type": "marking-definition", "spec_version": SPEC, "id": ident, "created": TLP2_CREATED,
            "name": Marking(marking).label,
            "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level}}}


def bundle(product, *, organisation: str = "Dividend") -> dict:
    """The STIX 2.1 bundle of `product` (which has a marking: nothing leaves without one)."""
    if product.marking not in TLP2_MARKINGS:
        raise ValueError("a product without a TLP marking is not exported")
    marking_ref = TLP2_MARKINGS[product.marking][0]
    created = _ts(product.created_at)
    modified = _ts(product.published_at or product.status_changed_at or product.created_at)
    identity = {"type": "identity", "spec_version": SPEC, "id": _id("identity", organisation), "created": created,
                "modified": created, "name": organisation, "identity_class": "organization"}
    report_id = _id("report", product.reference)
    notes = []
    for section in product.sections.all():
        notes.append({"type": "note", "spec_version": SPEC, "id": _id("note", f"{product.reference}/{section.pk}"),
                      "created": created, "modified": modified, "created_by_ref": identity["id"],
                      "abstract": section.heading, "content": section.text, "object_refs": [report_id],
                      "object_marking_refs": [marking_ref]})
    report = {"type": "report", "spec_version": SPEC, "id": report_id, "created": created, "modified": modified,
              "created_by_ref": identity["id"], "name": f"{product.reference} {product.title}",
              "description": product.summary, "report_types": ["threat-report"],
              "published": _ts(product.published_at or product.created_at),
              "object_refs": [n["id"] for n in notes] or [identity["id"]],
              "labels": [product.kind], "object_marking_refs": [marking_ref],
              "external_references": [{"source_name": organisation, "external_id": product.reference}]}
    return {"type": "bundle", "id": _id("bundle", f"{product.reference}/{modified}"),
            "objects": [marking_definition(product.marking), identity, report, *notes]}


def dumps(product) -> str:
    return json.dumps(bundle(product), indent=2, ensure_ascii=False)
