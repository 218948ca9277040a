module footprint-fixtures

go 1.23
