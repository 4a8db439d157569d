"""Market exports: queued after the request commits, built by the task in the private
storage, CSV for French spreadsheets and real XLSX, safe to run twice, failures said."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from reports.exports.services import export_build, export_request
from reports.exports.storage import private_storage
from reports.models import ReportExport
from reports.tasks import build_report_export
from shop.money import parse_euros

pytestmark = pytest.mark.django_db

Kind, Format = ReportExport.Kind, ReportExport.Format


def built(fair, kind, fmt, *, vendor=None, capture=None) -> ReportExport:
    export = export_request(user=fair.organiser, market=fair.market, kind=kind, format=fmt,
                            vendor=vendor)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


def csv_rows(export) -> list[list[str]]:
    raw = private_storage().open(export.file_name, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def cents(text: str) -> int:
    negative = text.startswith("-")
    amount = parse_euros(text.lstrip("-"))
    return -amount if negative else amount


def test_an_export_is_queued_after_commit_and_built_by_the_task(
        fair, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        export = export_request(user=fair.organiser, market=fair.market,
                                kind=Kind.ORDERS, format=Format.CSV)
        assert ReportExport.objects.get().state == ReportExport.State.QUEUED

    export.refresh_from_db()
    assert len(callbacks) == 1
    assert export.state == ReportExport.State.DONE
    assert (export.progress, export.row_count) == (100, 4)
    assert export.file_name.startswith(f"exports/{export.pk}/")
    assert private_storage().exists(export.file_name)


def test_the_orders_csv_opens_in_french_spreadsheets(fair):
    export = built(fair, Kind.ORDERS, Format.CSV)

    header, *orders, total = csv_rows(export)

    assert header[:3] == ["Commande", "Paiement", "Payée le"]
    assert len(orders) == 4
    first = orders[0]
    assert first[6:9] == ["25,00", "0,00", "25,00"]  # items, shipping, total
    assert first[2][2] == "/" and first[2][5] == "/"  # dd/mm/yyyy hh:mm
    assert total[0] == "Total"
    # Round trip: what is written reads back, to the cent, as the orders' amounts.
    assert sum(cents(row[8]) for row in orders) == cents(total[8]) == 2500 + 1250 + 1250 + 2500
    assert sum(cents(row[12]) for row in orders) == 1250


def test_the_order_lines_csv_lists_what_was_kept_and_cancelled(fair):
    export = built(fair, Kind.ORDER_LINES, Format.CSV)

    header, *lines, total = csv_rows(export)

    assert len(lines) == 4
    cancelled = next(line for line in lines if line[6] == "1")
    assert (cancelled[4], cancelled[5], cancelled[7], cancelled[9]) == ("12,50", "3", "25,00",
                                                                        "2,50")
    assert cents(total[7]) == 7500


def test_the_vendor_statement_adds_up_to_the_cent(fair):
    export = built(fair, Kind.VENDOR_STATEMENT, Format.CSV)

    header, *vendors, total = csv_rows(export)

    assert header[0] == "Exposant"
    rows = {row[0]: [cents(value) for value in row[2:]] for row in vendors}
    # sales, shipping, refunds, commission, shares, net, transferred, owed
    assert rows["Ateliers A"] == [3750, 0, 0, 375, 375, 3000, 0, 3000]
    assert rows["Bouquinerie A"] == [5000, 0, 1250, 375, 375, 3000, 0, 3000]
    assert cents(total[2]) == 8750


def test_the_project_statement_counts_shares_donations_and_cancellations(fair):
    export = built(fair, Kind.PROJECT_STATEMENT, Format.CSV)

    _, project, total = csv_rows(export)

    assert project[0] == "Épicerie A"
    assert [cents(value) for value in project[1:]] == [875, 300, 125, 1050, 0, 1050]


def test_the_xlsx_holds_numbers_dates_and_a_bold_frozen_header(fair):
    export = built(fair, Kind.ORDERS, Format.XLSX)

    with private_storage().open(export.file_name, "rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read())).active

    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet["A1"].value == "Commande"
    assert sheet.column_dimensions["D"].width == 28
    assert sheet["C2"].is_date
    amounts = [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert amounts[-1] == sum(amounts[:-1]) == Decimal("75.00")
    assert "€" in sheet["I2"].number_format


def test_a_vendors_export_holds_its_own_orders_only(fair):
    export = built(fair, Kind.ORDERS, Format.CSV, vendor=fair.vendors[0])

    _, *orders, _ = csv_rows(export)

    assert {row[3] for row in orders} == {"Ateliers A"}


def test_a_vendor_cannot_export_the_projects_statement(fair):
    from reports.exports.services import ExportNotAllowed

    with pytest.raises(ExportNotAllowed):
        export_request(user=fair.members[0], market=fair.market,
                       kind=Kind.PROJECT_STATEMENT, format=Format.CSV, vendor=fair.vendors[0])


def test_the_task_run_twice_builds_once_and_never_reopens_a_finished_export(fair):
    export = built(fair, Kind.ORDERS, Format.CSV)
    finished_at = export.finished_at

    assert build_report_export(export.pk) == "skipped"
    export.refresh_from_db()
    assert export.finished_at == finished_at and export.state == ReportExport.State.DONE


def test_a_task_delivered_again_after_a_lost_worker_builds_it_again(fair):
    export = export_request(user=fair.organiser, market=fair.market, kind=Kind.ORDERS,
                            format=Format.CSV)
    ReportExport.objects.filter(pk=export.pk).update(state=ReportExport.State.RUNNING,
                                                     progress=40)

    assert build_report_export(export.pk) == ReportExport.State.DONE


def test_a_failure_is_recorded_with_a_clear_message(fair, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setitem(__import__("reports.exports.writers", fromlist=["WRITERS"]).WRITERS,
                        "csv", broken)
    export = built(fair, Kind.ORDERS, Format.CSV)

    assert export.state == ReportExport.State.FAILED
    assert "disque plein" in export.error and "Demandez-le" in export.error
    assert not private_storage().listdir(f"exports/{export.pk}")[1]


def test_files_are_kept_outside_the_public_media(fair, settings, private_media):
    export = built(fair, Kind.ORDERS, Format.XLSX)

    path = private_storage().path(export.file_name)
    assert path.startswith(str(private_media))
    assert not path.startswith(str(settings.MEDIA_ROOT))
