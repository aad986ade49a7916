// Public API of src/shift/ — explicit exports only (filled in as the area lands).
export {};
