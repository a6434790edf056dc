//===- Passes.td - Kiln CPU code generation passes ---------*- tablegen -*-===//
//
// Part of Kiln. Keep the list alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_PASSES_TD
#define KILN_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnEmitCInterface : Pass<"kiln-emit-c-interface", "mlir::ModuleOp"> {
  let summary = "Give every public function a C-callable wrapper";
  let description = [{
    Sets `llvm.emit_c_interface` on each public `func.func`, so that the LLVM
    lowering adds `_mlir_ciface_<name>`, which takes one pointer to a memref
    descriptor per argument. The JIT (`kiln-run`) and the AOT runtime call
    models through it.
  }];
}

def KilnCPUConvToIm2Col
    : InterfacePass<"kiln-cpu-conv-to-im2col", "mlir::FunctionOpInterface"> {
  let summary = "Rewrite NCHW convolutions as im2col + a matrix product";
  let description = [{
    Each `linalg.conv_2d_nchw_fchw` becomes a gather of the input patches
    into a `[N, C*KH*KW, OH*OW]` tensor (im2col) and a batched contraction
    with the filter reshaped to `[F, C*KH*KW]`, so that convolutions take the
    tiled, vectorized matmul path (kiln-cpu-select-lowering-config picks the
    contraction up). The patch tensor costs `C*KH*KW*OH*OW` elements per
    image.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def KilnCPUExpandStridedCopies
    : InterfacePass<"kiln-cpu-expand-strided-copies", "mlir::FunctionOpInterface"> {
  let summary = "Turn memref.copy of strided buffers into linalg.copy";
  let description = [{
    A `memref.copy` between buffers that are not both contiguous lowers to a
    call of MLIR's C runner library (`memrefCopy`), which standalone binaries
    do not have. This pass turns such copies into `linalg.copy`, which becomes
    plain loops. Contiguous copies stay `memref.copy` (a `memcpy`).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def KilnCPULowerContractions
    : InterfacePass<"kiln-cpu-lower-contractions", "mlir::FunctionOpInterface"> {
  let summary = "Lower vector.contract to broadcasts and vector.fma";
  let description = [{
    `vector.contract` becomes one `vector.outerproduct` per reduction step and
    each of those one `vector.fma` per accumulator row: the register tile's
    inner loop is `rows` broadcasts of A and `rows x vectors` FMAs with the
    B vectors. Runs after bufferization, right before the LLVM conversion:
    canonicalization in between would fold the accumulator's row inserts
    into a scalar `vector.from_elements`.
  }];
  let dependentDialects = ["mlir::vector::VectorDialect"];
}

def KilnCPUSelectLoweringConfig
    : InterfacePass<"kiln-cpu-select-lowering-config",
                    "mlir::FunctionOpInterface"> {
  let summary = "Choose tile sizes for the hot linalg ops from the target description";
  let description = [{
    Attaches a `#kiln_codegen.lowering_config` to every contraction
    (`linalg.matmul`, `linalg.batch_matmul` and equivalent generics) that has
    none, computed from the CPU target description: the register tile holds
    `rows x (2 vectors)` accumulators, sized so that they, the B vectors and
    the A broadcasts fit the vector registers; the cache tile keeps the
    panels of A and B that one register tile streams in L1/L2. Ops that
    already carry a config (written by the autotuner or by hand) are kept.

    The options override the host's description, for tests and cross
    compilation; 0 means "the host's value".
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "0",
           "Width of a vector register in bits (0: the host's)">,
    Option<"vectorRegisters", "vector-registers", "unsigned", "0",
           "Number of vector registers (0: the host's)">,
  ];
  let dependentDialects = ["kiln::codegen::KilnCodegenDialect"];
}

def KilnCPUTile
    : InterfacePass<"kiln-cpu-tile", "mlir::FunctionOpInterface"> {
  let summary = "Tile linalg ops to the sizes of their lowering_config";
  let description = [{
    Tiles every linalg op that carries a `lowering_config` with `scf.for`
    loops to the sizes of one level of the config: `tiling-level=0` the
    cache tiles, `tiling-level=1` the register tiles. Each loop's last,
    partial iteration is peeled off, so that the main tiles have static sizes
    (and vectorize without masks). The tiled ops keep the config, so the next
    level (and the vectorizer) find it.
  }];
  let options = [
    Option<"tilingLevel", "tiling-level", "unsigned", "0",
           "Which tile sizes to use: 0 = cache, 1 = register">,
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::affine::AffineDialect",
                           "mlir::tensor::TensorDialect"];
}

def KilnCPUVectorize
    : InterfacePass<"kiln-cpu-vectorize", "mlir::FunctionOpInterface"> {
  let summary = "Vectorize register tiles into FMA sequences";
  let description = [{
    Vectorizes every linalg op that carries a `lowering_config` and has a
    static shape (kiln-cpu-tile peels partial tiles off) with its register
    tile as the vector shape, turns the
    result into `vector.contract`, and hoists the accumulator out of the
    reduction loop so that it stays in registers. An op that cannot be
    vectorized is left as it is (it becomes scalar loops later).
  }];
  let dependentDialects = ["mlir::vector::VectorDialect", "mlir::arith::ArithDialect",
                           "mlir::tensor::TensorDialect"];
}

#endif // KILN_TARGET_CPU_PASSES_TD
