#ifndef VMREADY_PREFETCH_H
#define VMREADY_PREFETCH_H

/// Asks the CPU to bring the cache line holding `address` towards L1 without
/// waiting for it (Swift has no prefetch of its own). Inlined by the importer.
static inline void vmready_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// The same, for a line about to be written.
static inline void vmready_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
