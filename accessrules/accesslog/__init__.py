"""The access log (SPEC 7) and what lives beside it: writing a row (`log`), the x-requestId
claim (`requestid`) and their retention (`retention`)."""
