
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map