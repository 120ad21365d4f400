"""Query parameters of the periodic reports (described for the API's clients)."""
from marshmallow import Schema, fields, validate

FORMATS = ["json", "csv", "xlsx", "docx"]


class ReportQueryIn(Schema):
    from_ = fields.String(data_key="from", metadata={"description": "dd/mm/yyyy or yyyy-mm-dd"})
    to = fields.String(metadata={"description": "dd/mm/yyyy or yyyy-mm-dd"})
    period = fields.String(validate=validate.OneOf(["month", "quarter", "year", "range"]))
    year = fields.Integer(validate=validate.Range(min=1900, max=2100))
    month = fields.Integer(validate=validate.Range(min=1, max=12))
    quarter = fields.Integer(validate=validate.Range(min=1, max=4))
    format = fields.String(validate=validate.OneOf(FORMATS), load_default="json")
    table = fields.String(metadata={"description": "CSV or XLSX of one table (its key)"})
