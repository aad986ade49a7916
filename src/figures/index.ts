// Public API of src/figures/ — explicit exports only (filled in as the area lands).
export {};
