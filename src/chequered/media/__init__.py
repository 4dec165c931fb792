"""What readers get out of the store besides the API: calendars (ICS), charts (SVG), and the language
helpers (gettext catalogs, dates, ordinals, status words) every page, calendar and press text shares."""
