// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{expects 'cache' and 'register' tiles for the same number of loops, got 3 and 2}}
#bad = #kiln_codegen.lowering_config<cache = [1, 2, 3], register = [1, 2]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects non-negative tile sizes}}
#bad = #kiln_codegen.lowering_config<cache = [-1, 2], register = [1, 2]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects each register tile to fit its cache tile, got 16 > 8}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [16, 8]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects non-negative operand indices in 'pack'}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], pack = [-1]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects at most one distributed loop, got 2}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], distribute = [0, 1]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects the distributed loop to be a tiled loop (one with a non-zero cache tile), got 1}}
#bad = #kiln_codegen.lowering_config<cache = [8, 0], register = [4, 4], distribute = [1]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects the distributed loop to be a tiled loop (one with a non-zero cache tile), got 2}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], distribute = [2]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects 'register_order' to be a permutation of the 2 loops}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], register_order = [1, 1]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects 'cache_order' to be a permutation of the 2 loops}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], cache_order = [0]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expected 'pack', 'distribute', 'cache_order' or 'register_order' (in that order, each at most once), got 'pack'}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], register_order = [1, 0], pack = [0]>
func.func private @f() attributes {config = #bad}
