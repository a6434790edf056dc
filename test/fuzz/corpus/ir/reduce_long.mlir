func.func @f(%x: tensor<4x1000xf32>) -> (tensor<4xf32>, tensor<1000xf32>) {
  %s = nn.reduce_mean %x axes [1] : tensor<4x1000xf32> -> tensor<4xf32>
  %m = nn.reduce_max %x axes [0] : tensor<4x1000xf32> -> tensor<1000xf32>
  return %s, %m : tensor<4xf32>, tensor<1000xf32>
}
