// Ops whose code calls libm (softmax's exp, erf, log, pow), in a function
// named @NAME (symbol-names.test substitutes it).
func.func @NAME(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %s = nn.softmax %x axis 1 : tensor<4x8xf32>
  %e = nn.erf %s : tensor<4x8xf32>
  %l = nn.log %e : tensor<4x8xf32>
  %p = nn.pow %e, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %q = nn.add %p, %l : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %q : tensor<4x8xf32>
}
