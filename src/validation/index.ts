// Public API of src/validation/ — explicit exports only (filled in as the area lands).
export {};
