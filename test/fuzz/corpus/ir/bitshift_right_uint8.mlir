module {
  func.func @test_bitshift_right_uint8(%arg0: tensor<3xui8> {nn.name = "x"}, %arg1: tensor<3xui8> {nn.name = "y"}) -> (tensor<3xui8> {nn.name = "z"}) {
    %0 = nn.shift_right %arg0, %arg1 : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
    return %0 : tensor<3xui8>
  }
}
