/* CTernAtomics is header-only (tern_atomics.h); SwiftPM needs one source. */
#include "tern_atomics.h"
