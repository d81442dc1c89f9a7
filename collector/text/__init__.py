"""Content checks' shared machinery: text with locations from pages and attachments, personal-data
detectors, and the staff-maintained wording lexicon."""
