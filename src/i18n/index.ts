// Public API of src/i18n/ — explicit exports only (filled in as the area lands).
export {};
