//===- CodegenAttrs.td - code generation decisions as attributes -*- tablegen -*-===//
//
// Part of Kiln. Every tunable code generation decision is a typed, verified
// attribute on the op it concerns. The heuristic (kiln-cpu-select-lowering-
// config) and, later, the autotuner only write these attributes; the tiling
// and vectorization passes only read them. A tuned result is therefore
// reproducible from a .mlir file.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_IR_CODEGENATTRS_TD
#define KILN_CODEGEN_IR_CODEGENATTRS_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/OpBase.td"

def KilnCodegen_Dialect : Dialect {
  let name = "kiln_codegen";
  let summary = "Attributes that carry Kiln's code generation decisions";
  let description = [{
    The attributes by which the tiling heuristic and the autotuner tell the
    code generation passes what to do, and the few ops that live only
    between two of those passes.
  }];
  let cppNamespace = "::kiln::codegen";
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
}

def KilnCodegen_LoweringConfigAttr
    : AttrDef<KilnCodegen_Dialect, "LoweringConfig"> {
  let mnemonic = "lowering_config";
  let summary = "how an op is tiled, shared over threads and packed";
  let description = [{
    The decisions code generation takes for the op it is attached to (as
    attribute `lowering_config`): a linalg op, a `tensor.pad`, a
    `kiln_codegen.im2col`. Its loops are a linalg op's loops, in the op's
    order, and the dimensions of the result of the others.

    **Tile levels**, outermost first, each `NAME = [sizes]`: one size per
    loop, 0 leaving a loop untiled at that level. A level's names are the
    target's: a CPU tiles for the caches, then for registers

    - `cache`: the outer tiles, sized for the caches (and, for parallel
      loops, the unit of work a thread takes);
    - `register`: the tiles that become vector code: the tile of the result
      held in registers, and the vector shape the vectorizer uses. Sizes that
      do not divide the loop leave partial tiles, which kiln-codegen-tile peels
      off so that every tile has a static size;

    and a GPU will name its own (workgroup, warp, thread, reduction). A
    level's tiles fit in the tiles of the level before it.

    **Fields**, after the levels, each optional, in this order:

    - `pack = [operands]`: input operands whose cache tile is copied into a
      contiguous buffer before the register tiles read it (transposed if its
      innermost dimension is not the one read as vectors). A tile of a large
      row-major matrix has rows a page apart, which alias in the caches and
      the TLB; its packed copy does not;
    - `distribute = [loop]`: the loop spread over the thread pool, at most
      one (absent: the op runs on one thread). For a tiled op, its tiles of
      the first level;
    - `NAME_order = [permutation]`, for level NAME: the order of that level's
      tile loops, outermost first (absent: the op's loop order). For a
      matmul, `cache_order = [1, 2, 0]` (n, k, m: BLIS's order) makes a
      packed tile of B depend only on the two outer loops, so that it is
      packed once and reused by every m tile, instead of once per m tile;
      `register_order = [1, 0, 2]` sweeps the register tiles of a column
      block top to bottom, so that the strip of B they share stays in L1
      while A's tile streams from L2 (BLIS's order);
    - `shared_packing = N` (with `pack`): a packed tile of at least N
      elements that is packed outside any distributed loop (before the
      threads start) is packed by all threads instead of one (absent: by
      one thread);
    - `transposed`: the op, a contraction `C[n, i, j] += A[i, k] * B[n, k,
      j]` (a convolution as im2col's product, filters-major), is computed
      as its transpose `T[n, j, i] = sum_k B[n, k, j] * A[i, k]`
      (positions-major), which one elementwise op then adds, transposed, to
      C; the tile levels are the transposed op's (loops n, j, i, k).
      kiln-codegen-transpose-contractions rewrites the op so;
    - `library = "NAME"`: the op is not generated code but a call of a
      vendor library (GPU: `"cublas"`, a matmul computed by cuBLAS's
      `cublasGemmEx`; `"cudnn"`, a convolution computed by cuDNN's
      `cudnnConvolutionForward`; kiln-gpu-library-calls writes the call). A
      config with a library needs no tile levels.

    ```mlir
    %c = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<
             cache = [96, 128, 256], register = [6, 16, 1],
             pack = [1], distribute = [0], cache_order = [1, 2, 0],
             register_order = [1, 0, 2]>}
        ins(%a, %b : tensor<512x512xf32>, tensor<512x512xf32>)
        outs(%acc : tensor<512x512xf32>) -> tensor<512x512xf32>
    %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {lowering_config =
             #kiln_codegen.lowering_config<distribute = [1]>} { ... }
    ```
  }];
  let parameters = (ins OptionalArrayRefParameter<"::kiln::codegen::TileLevel">:$levels,
                        OptionalArrayRefParameter<"int64_t">:$packedOperands,
                        OptionalArrayRefParameter<"int64_t">:$distributedLoops,
                        DefaultValuedParameter<"int64_t", "0">:$sharedPacking,
                        DefaultValuedParameter<"bool", "false">:$transposed,
                        StringRefParameter<"vendor library that computes the op", "\"\"">:$library);
  // Levels are named by the target, and fields follow them: hand-written.
  let hasCustomAssemblyFormat = 1;
  let builders = [
    AttrBuilder<(ins "::llvm::ArrayRef<::kiln::codegen::TileLevel>":$levels,
                     "::llvm::ArrayRef<int64_t>":$packedOperands,
                     "::llvm::ArrayRef<int64_t>":$distributedLoops), [{
      return $_get($_ctxt, levels, packedOperands, distributedLoops, 0, false,
                   ::llvm::StringRef());
    }]>
  ];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Name of the discardable attribute that holds a config on an op.
    static constexpr ::llvm::StringLiteral kAttrName = "lowering_config";
    /// The level named `name`, or null.
    const ::kiln::codegen::TileLevel *getLevel(::llvm::StringRef name) const;
    /// The tiles of level `name`; empty when there is no such level.
    ::llvm::ArrayRef<int64_t> getTiles(::llvm::StringRef name) const;
    /// The loop order of level `name`; empty when it has none.
    ::llvm::ArrayRef<int64_t> getOrder(::llvm::StringRef name) const;
    /// The loops its levels tile (0 without levels).
    size_t getNumLoops() const;
    /// This config with other levels, the fields kept.
    LoweringConfigAttr withLevels(
        ::llvm::ArrayRef<::kiln::codegen::TileLevel> levels) const;
    /// This config with `transposed` set or dropped.
    LoweringConfigAttr withTransposed(bool transposed) const;
    /// The libraries a GPU op may call: `library = "cublas"` (matmuls),
    /// `library = "cudnn"` (convolutions).
    static constexpr ::llvm::StringLiteral kCuBLAS = "cublas";
    static constexpr ::llvm::StringLiteral kCuDNN = "cudnn";
  }];
}

def KilnCodegen_CPUTargetAttr : AttrDef<KilnCodegen_Dialect, "CPUTarget"> {
  let mnemonic = "cpu_target";
  let summary = "the CPU a module is compiled for";
  let description = [{
    What code generation knows of the machine the code will run on, as the
    module attribute `kiln_codegen.target`. kiln-attach-target writes it
    (kiln-run, kiln-compile, kiln.compile and kiln-tune attach it through
    the pipeline: the host by default, else `--target/--cpu/--features` and
    `--target-desc`); every pass that depends on the machine reads it from
    the IR, so a cross-compile's tiles and buffer limits follow the target
    and never the machine that compiles.

    - `triple`, `cpu`, `features`: LLVM's names (the CPU as `llc -mcpu`
      knows it, the features as `-mattr` does);
    - `vector_bits`, `vector_registers`: the widest vector registers the
      code may use, and how many there are;
    - `l1_bytes`, `l2_bytes`: one core's data caches;
    - `cores`: the CPUs of the machine (0: not known);
    - `threads`: the threads the code will run on (0: not known; the tiles
      threads share are balanced for 1, 2 and 4);
    - `memory_bytes`: the memory the largest buffer must fit in (0: not
      known; only the address space limits buffers).

    ```mlir
    module attributes {kiln_codegen.target = #kiln_codegen.cpu_target<
        triple = "aarch64-unknown-linux-gnu", cpu = "neoverse-n1",
        features = "", vector_bits = 128, vector_registers = 32,
        l1_bytes = 65536, l2_bytes = 1048576, cores = 0, threads = 0,
        memory_bytes = 0>} {
    }
    ```
  }];
  let parameters = (ins StringRefParameter<"LLVM target triple">:$triple,
                        StringRefParameter<"LLVM CPU name">:$cpu,
                        StringRefParameter<"LLVM feature list">:$features,
                        "unsigned":$vector_bits,
                        "unsigned":$vector_registers,
                        "int64_t":$l1_bytes,
                        "int64_t":$l2_bytes,
                        "unsigned":$cores,
                        "unsigned":$threads,
                        "int64_t":$memory_bytes);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Name of the module attribute that holds the target.
    static constexpr ::llvm::StringLiteral kAttrName = "kiln_codegen.target";
    /// The target of the module that holds `op` (or is `op`), or null.
    static CPUTargetAttr lookup(::mlir::Operation *op);
  }];
}

def KilnCodegen_GPUTargetAttr : AttrDef<KilnCodegen_Dialect, "GPUTarget"> {
  let mnemonic = "gpu_target";
  let summary = "the NVIDIA GPU a module's kernels are compiled for";
  let description = [{
    What GPU code generation knows of the GPU the kernels will run on, as
    the module attribute `kiln_codegen.gpu_target` (beside the host's
    `kiln_codegen.target`). kiln-gpu-attach-target writes it from a GPU
    architecture name (`--gpu-arch`) through Kiln's table of known GPUs;
    the GPU heuristic will read it from the IR, never from the machine that
    compiles.

    - `chip`: the architecture, as ptxas and LLVM's NVPTX backend name it
      (`sm_80`, `sm_90a`);
    - `features`: LLVM's NVPTX features (`+ptx80`: the PTX version; empty:
      the lowest the chip takes);
    - `sm_count`: streaming multiprocessors (a representative part of that
      architecture; the grid is sized for it);
    - `max_threads_per_block`, `registers_per_sm`: the launch limits;
    - `shared_memory_bytes`: shared memory one block may use (opting in
      above 48 KiB);
    - `mma`: the tensor-core instructions kernels may use: `none`,
      `mma_sync` (warp-level `mma.sync`, sm_80 and later) or `wgmma`
      (warpgroup `wgmma` with TMA, sm_90a);
    - `memory_bytes`: device memory (0: not known).

    ```mlir
    module attributes {kiln_codegen.gpu_target = #kiln_codegen.gpu_target<
        chip = "sm_80", features = "+ptx80", sm_count = 108,
        max_threads_per_block = 1024, registers_per_sm = 65536,
        shared_memory_bytes = 166912, mma = "mma_sync",
        memory_bytes = 42949672960>} {
    }
    ```
  }];
  let parameters = (ins StringRefParameter<"NVPTX architecture">:$chip,
                        StringRefParameter<"LLVM NVPTX features">:$features,
                        "unsigned":$sm_count,
                        "unsigned":$max_threads_per_block,
                        "unsigned":$registers_per_sm,
                        "int64_t":$shared_memory_bytes,
                        StringRefParameter<"tensor-core instructions">:$mma,
                        "int64_t":$memory_bytes);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Name of the module attribute that holds the GPU target.
    static constexpr ::llvm::StringLiteral kAttrName =
        "kiln_codegen.gpu_target";
    /// The GPU target of the module that holds `op` (or is `op`), or null.
    static GPUTargetAttr lookup(::mlir::Operation *op);
  }];
}

#endif // KILN_CODEGEN_IR_CODEGENATTRS_TD
