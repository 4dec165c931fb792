"""What readers get out of the store besides the API: calendars (ICS), charts (SVG), press releases,
official documents and their PDFs, result cards, and the language helpers (gettext catalogs, dates,
ordinals, status words) that every page, calendar and press text shares. Imports core and store only."""
