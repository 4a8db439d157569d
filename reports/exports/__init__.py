"""Market exports: what each kind of export lists (`rows`), the ledger sums behind the
statements (`totals`), the CSV and XLSX writers (`writers`), where the files are kept
(`storage`) and the services that queue and build them (`services`)."""
