// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{expects every tile level to have as many sizes as 'cache' (3), got 2 in 'register'}}
#bad = #kiln_codegen.lowering_config<cache = [1, 2, 3], register = [1, 2]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects non-negative tile sizes}}
#bad = #kiln_codegen.lowering_config<cache = [-1, 2], register = [1, 2]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects each 'register' tile to fit its 'cache' tile, got 16 > 8}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [16, 8]>
func.func private @f() attributes {config = #bad}

// -----

// Levels nest whatever the target names them.
// expected-error @+1 {{expects each 'thread' tile to fit its 'warp' tile, got 8 > 4}}
#bad = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], warp = [32, 4, 0], thread = [4, 8, 0], reduction = [0, 0, 32]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{tile level 'cache' given twice}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], cache = [4, 4]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects a tile level or a field}}
#bad = #kiln_codegen.lowering_config<>
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

// expected-error @+1 {{expects the distributed loop to be a tiled loop (one with a non-zero 'cache' tile), got 1}}
#bad = #kiln_codegen.lowering_config<cache = [8, 0], register = [4, 4], distribute = [1]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects the distributed loop to be a tiled loop (one with a non-zero 'cache' tile), got 2}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], distribute = [2]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects a non-negative distributed loop, got -1}}
#bad = #kiln_codegen.lowering_config<distribute = [-1]>
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

// expected-error @+1 {{'warp_order' orders no tile level: there is no level 'warp'}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], warp_order = [0, 1]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expected a tile level (NAME = [sizes]), then 'pack', 'distribute', 'NAME_order', 'shared_packing', 'transposed', 'library' in that order, each field at most once; got 'pack'}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], register_order = [1, 0], pack = [0]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expected a tile level (NAME = [sizes]), then 'pack', 'distribute', 'NAME_order', 'shared_packing', 'transposed', 'library' in that order, each field at most once; got 'warp'}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], pack = [0], warp = [4, 4]>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects 'shared_packing' only with 'pack'}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], distribute = [0], shared_packing = 16384>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects 'shared_packing' to be positive, got -2}}
#bad = #kiln_codegen.lowering_config<cache = [8, 8], register = [4, 4], pack = [1], distribute = [0], shared_packing = -2>
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expects 'library' to be "cublas" or "cudnn" (the libraries Kiln calls), got "miopen"}}
#bad = #kiln_codegen.lowering_config<library = "miopen">
func.func private @f() attributes {config = #bad}

// -----

// expected-error @+1 {{expected a tile level (NAME = [sizes]), then 'pack', 'distribute', 'NAME_order', 'shared_packing', 'transposed', 'library' in that order, each field at most once; got 'transposed'}}
#bad = #kiln_codegen.lowering_config<library = "cublas", transposed>
func.func private @f() attributes {config = #bad}
