#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @f(%x: tensor<1x8x6x6xf32>, %a: tensor<8x16xf32>, %b: tensor<16x8xf32>) -> (tensor<1x16x36xf32>, tensor<8x8xf32>) {
  %z = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } {lowering_config = #kiln_codegen.lowering_config<distribute = [1]>} : tensor<1x8x6x6xf32> to tensor<1x8x8x8xf32>
  %patches = kiln_codegen.im2col %padded kernel [3, 3] strides [1, 1] dilations [1, 1] {lowering_config = #kiln_codegen.lowering_config<distribute = [1]>} : tensor<1x8x8x8xf32> -> tensor<1x72x36xf32>
  %filter = arith.constant dense<0.5> : tensor<16x72xf32>
  %e = tensor.empty() : tensor<1x16x36xf32>
  %acc = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x36xf32>) -> tensor<1x16x36xf32>
  %conv = linalg.generic {indexing_maps = [#w, #p, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%filter, %patches : tensor<16x72xf32>, tensor<1x72x36xf32>) outs(%acc : tensor<1x16x36xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [1, 12, 16, 72], register = [1, 6, 8, 1], pack = [0, 1], distribute = [1], shared_packing = 64, transposed>} {
  ^bb0(%u: f32, %v: f32, %c: f32):
    %m = arith.mulf %u, %v : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x16x36xf32>
  %e2 = tensor.empty() : tensor<8x8xf32>
  %acc2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<8x8xf32>) -> tensor<8x8xf32>
  %mm = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [8, 8, 8], register = [2, 8, 1], pack = [1], cache_order = [1, 2, 0], register_order = [1, 0, 2]>} ins(%a, %b : tensor<8x16xf32>, tensor<16x8xf32>) outs(%acc2 : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %conv, %mm : tensor<1x16x36xf32>, tensor<8x8xf32>
}
