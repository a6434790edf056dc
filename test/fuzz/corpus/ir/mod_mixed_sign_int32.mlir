module {
  func.func @test_mod_mixed_sign_int32(%arg0: tensor<6xi32> {nn.name = "x"}, %arg1: tensor<6xi32> {nn.name = "y"}) -> (tensor<6xi32> {nn.name = "z"}) {
    %0 = nn.rem %arg0, %arg1 : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
    %1 = nn.constant dense<0> : tensor<i32>
    %2 = nn.less %0, %1 : (tensor<6xi32>, tensor<i32>) -> tensor<6xi1>
    %3 = nn.less %arg1, %1 : (tensor<6xi32>, tensor<i32>) -> tensor<6xi1>
    %4 = nn.equal %2, %3 : (tensor<6xi1>, tensor<6xi1>) -> tensor<6xi1>
    %5 = nn.constant dense<false> : tensor<i1>
    %6 = nn.equal %4, %5 : (tensor<6xi1>, tensor<i1>) -> tensor<6xi1>
    %7 = nn.equal %0, %1 : (tensor<6xi32>, tensor<i32>) -> tensor<6xi1>
    %8 = nn.constant dense<false> : tensor<i1>
    %9 = nn.equal %7, %8 : (tensor<6xi1>, tensor<i1>) -> tensor<6xi1>
    %10 = nn.constant dense<false> : tensor<i1>
    %11 = nn.select %9, %6, %10 : (tensor<6xi1>, tensor<6xi1>, tensor<i1>) -> tensor<6xi1>
    %12 = nn.add %0, %arg1 : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
    %13 = nn.select %11, %12, %0 : (tensor<6xi1>, tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
    return %13 : tensor<6xi32>
  }
}
