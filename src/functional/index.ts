// Public API of src/functional/ — explicit exports only (filled in as the area lands).
export {};
