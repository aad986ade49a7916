// Public API of src/models/ — explicit exports only (filled in as the area lands).
export {};
