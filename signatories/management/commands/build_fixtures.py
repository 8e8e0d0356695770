"""Turn the reference data under fixtures/source/ into the seed fixture fixtures/seed.json."""

import csv
import json
import tomllib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from declaration.models import Basis
from signatories.models import search_text

SOURCE_DIR = settings.BASE_DIR / "fixtures" / "source"
OUTPUT = settings.BASE_DIR / "fixtures" / "seed.json"

LEVELS = (
    ("m49_region_code", "m49_region", "region"),
    ("m49_subregion_code", "m49_subregion", "subregion"),
    ("m49_intermediate_code", "m49_intermediate", "intermediate"),
)
ENTITY_TYPES = {
    "state": "state",
    "state with limited recognition": "limited_recognition",
    "supranational institution": "supranational",
}
PRECISIONS = {"exact": "exact", "on or before": "on_or_before"}


def read_csv(name):
    with open(SOURCE_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def participant_slug(name):
    return slugify(name.replace("'", ""))


def parse_since(value):
    """'1945' -> ('1945-01-01', 'year'); '2022-11-02' -> (that, 'day'); '' -> (None, 'day')."""
    value = value.strip()
    if not value:
        return None, "day"
    if len(value) == 4 and value.isdigit():
        return f"{value}-01-01", "year"
    return value, "day"


def basis(item, key, where):
    """The mark ``item[key]`` gives (quoted, paraphrased, inferred): the data file must say."""
    value = item.get(key)
    if value not in Basis.values:
        allowed = ", ".join(Basis.values)
        raise CommandError(f"{where}: {key} must be one of {allowed}, not {value!r}")
    return value


def build():
    """Return the seed fixture as a list of Django serialised objects."""
    objects = []

    def add(model, pk, **fields):
        objects.append({"model": model, "pk": pk, "fields": fields})

    with open(SOURCE_DIR / "declaration.toml", "rb") as handle:
        text = tomllib.load(handle)

    forum_pks = {}
    for pk, forum in enumerate(text["forums"], start=1):
        forum_pks[forum["slug"]] = pk
        add("declaration.forum", pk, **forum)

    declaration_pks, event_pks = {}, {}
    pillar_pk = commitment_pk = event_pk = 0
    for pk, item in enumerate(text["declarations"], start=1):
        declaration_pks[item["slug"]] = pk
        add(
            "declaration.declaration",
            pk,
            title=item["title"],
            short_name=item["short_name"],
            slug=item["slug"],
            launched_on=item["launched_on"].isoformat(),
            text_url=item["text_url"],
            announcement_url=item["announcement_url"],
            summary=item["summary"],
            forums=[forum_pks[slug] for slug in item["forums"]],
            grouping_basis=basis(item, "grouping_basis", item["slug"]),
            structure_note=item.get("structure_note", ""),
        )
        commitment_basis = basis(item, "commitment_basis", item["slug"])
        number = 0
        for pillar_number, pillar in enumerate(item["pillars"], start=1):
            pillar_pk += 1
            add(
                "declaration.pillar",
                pillar_pk,
                declaration=pk,
                number=pillar_number,
                title=pillar["title"],
                title_basis=basis(pillar, "title_basis", pillar["title"]),
                title_note=pillar.get("title_note", ""),
            )
            for commitment in pillar["commitments"]:
                number += 1
                commitment_pk += 1
                add(
                    "declaration.commitment",
                    commitment_pk,
                    pillar=pillar_pk,
                    number=number,
                    text=commitment,
                    text_basis=commitment_basis,
                )
        for event in item["events"]:
            event_pk += 1
            event_pks[(item["slug"], event["held_on"].isoformat())] = event_pk
            add(
                "signatories.event",
                event_pk,
                declaration=pk,
                name=event["name"],
                held_on=event["held_on"].isoformat(),
                place=event["place"],
                url=event["url"],
            )

    participants = read_csv("participants.csv")
    regions = {}
    for row in participants:
        parent = None
        for code_key, name_key, level in LEVELS:
            if row[code_key]:
                regions.setdefault(
                    row[code_key], {"name": row[name_key], "level": level, "parent": parent}
                )
                parent = row[code_key]
    for code in sorted(regions):
        add("signatories.region", code, **regions[code])

    aliases = {}
    for row in read_csv("aliases.csv"):
        if row["participant"] not in {p["name"] for p in participants}:
            raise CommandError(f"Alias {row['alias']!r}: {row['participant']!r} is no participant")
        aliases.setdefault(row["participant"], []).append(row["alias"])

    participant_pks = {}
    for pk, row in enumerate(sorted(participants, key=lambda r: r["name"]), start=1):
        participant_pks[row["name"]] = pk
        region = row["m49_intermediate_code"] or row["m49_subregion_code"] or row["m49_region_code"]
        iso_name = row["iso_name"] if row["iso_name"] != row["name"] else ""
        add(
            "signatories.participant",
            pk,
            name=row["name"],
            slug=participant_slug(row["name"]),
            iso_name=iso_name,
            iso_alpha2=row["iso_alpha2"],
            iso_alpha3=row["iso_alpha3"],
            entity_type=row["entity_type"],
            un_member=row["un_member"] == "yes",
            un_observer=row["un_observer"] == "yes",
            region=region or None,
            aliases="\n".join(aliases.get(row["name"], [])),
            search_name=search_text([row["name"], iso_name, *aliases.get(row["name"], [])]),
        )

    dfi = text["declarations"][0]
    evidence = {}
    for row in read_csv("sources.csv"):
        evidence[(row["participant"], row["url"])] = {
            "title": row["title"],
            "kind": row["kind"],
            "publisher": row["publisher"],
            "published_on": row["published_on"] or None,
            "archive_url": row["archive_url"],
        }
    later = {}
    for row in read_csv("actions.csv"):
        later.setdefault((row["participant"], row["declaration"]), []).append(row)
    source_pk = action_pk = 0

    def add_source(endorsement, participant, url, supports, position):
        nonlocal source_pk
        source_pk += 1
        facts = evidence.get((participant, url)) or evidence.get(("", url))
        if facts is None:
            raise CommandError(f"{url} is not in sources.csv")
        add(
            "signatories.source",
            source_pk,
            endorsement=endorsement,
            supports=supports,
            url=url,
            position=position,
            **facts,
        )

    def add_action(endorsement, kind, taken_on, precision, event=None, note=""):
        nonlocal action_pk
        action_pk += 1
        add(
            "signatories.action",
            action_pk,
            endorsement=endorsement,
            kind=kind,
            taken_on=taken_on,
            date_precision=precision,
            event=event,
            note=note,
        )

    for pk, row in enumerate(read_csv("dfi-endorsers.csv"), start=1):
        name = row["name"]
        if name not in participant_pks:
            raise CommandError(f"Endorser {name!r} is not in participants.csv")
        precision = PRECISIONS[row["date_precision"]]
        # An event only where the day is known and an event was held that day: Senegal, on
        # the list "on or before 29 April", is credited to none.
        event = event_pks.get((dfi["slug"], row["endorsed_on"])) if precision == "exact" else None
        actions = later.get((name, dfi["slug"]), [])
        dates = {action["kind"]: action["taken_on"] for action in actions}
        status = "withdrawn" if "withdrawn" in dates else "endorsed"
        if "disputed" in dates and "dispute_resolved" not in dates and status != "withdrawn":
            status = "disputed"
        add(
            "signatories.endorsement",
            pk,
            participant=participant_pks[name],
            declaration=declaration_pks[dfi["slug"]],
            endorsed_on=row["endorsed_on"],
            date_precision=precision,
            status=status,
            disputed_on=dates.get("disputed"),
            dispute_resolved_on=dates.get("dispute_resolved"),
            withdrawn_on=dates.get("withdrawn"),
            event=event,
            note=row["notes"],
            created_at=f"{row['endorsed_on']}T12:00:00Z",
            updated_at=f"{row['endorsed_on']}T12:00:00Z",
        )
        add_action(pk, "endorsed", row["endorsed_on"], precision, event)
        urls = [row[k] for k in ("primary_source_url", "second_source_url", "third_source_url")]
        for position, url in enumerate(filter(None, urls), start=1):
            add_source(pk, name, url, "endorsed", position)
        for action in actions:
            add_action(
                pk,
                action["kind"],
                action["taken_on"],
                action["date_precision"],
                None,
                action["note"],
            )
            add_source(pk, name, action["source_url"], action["kind"], 1)

    membership_pk = 0
    skipped = []
    for row in read_csv("forum-members.csv"):
        if row["participant_name"] not in participant_pks:
            skipped.append(f"{row['forum']}: {row['participant_name']}")
            continue
        since, precision = parse_since(row["member_since"])
        membership_pk += 1
        add(
            "signatories.forummembership",
            membership_pk,
            participant=participant_pks[row["participant_name"]],
            forum=forum_pks[row["forum"]],
            since=since,
            since_precision=precision,
            until=row["member_until"] or None,
            source_url=row["source_url"],
            note=row["notes"],
        )
    return objects, skipped


class Command(BaseCommand):
    help = "Rebuild fixtures/seed.json from the reference data in fixtures/source/."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=OUTPUT)

    def handle(self, *args, output, **options):
        objects, skipped = build()
        output.write_text(
            json.dumps(objects, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        for line in skipped:
            self.stdout.write(f"Skipped (not a participant): {line}")
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(objects)} objects to {output}"))
