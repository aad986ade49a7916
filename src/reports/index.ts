// Public API of src/reports/ — explicit exports only (filled in as the area lands).
export {};
