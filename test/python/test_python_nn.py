"""kiln.nn: graphs written in Python, checked op by op, compiled and run
against PyTorch and numpy."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import kiln
from kiln import nn


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(
        np.float32)


def test_cnn_matches_pytorch():
    w1, b1 = rand(8, 3, 3, 3, seed=1), rand(8, seed=2)
    w2 = rand(16, 2, 3, 3, seed=3)  # groups=4
    fc_w, fc_b = rand(10, 16, seed=4), rand(10, seed=5)
    x = nn.input((2, 3, 16, 16), name="image")
    y = nn.relu(nn.conv2d(x, w1, b1, stride=1, padding=1))
    y = nn.max_pool2d(y, 2)
    y = nn.conv2d(y, w2, stride=2, padding=(1, 1), groups=4)
    y = nn.avg_pool2d(nn.gelu(y), 2, stride=1, ceil_mode=True)
    y = nn.flatten(nn.global_avg_pool(y))
    logits = nn.dense(y, fc_w, fc_b)
    assert logits.shape == (2, 10) and logits.dtype == np.float32
    model = kiln.compile({"logits": logits})
    assert [o.name for o in model.outputs] == ["logits"]

    image = rand(2, 3, 16, 16, seed=6)
    t = lambda a: torch.from_numpy(a)  # noqa: E731
    with torch.no_grad():
        r = F.relu(F.conv2d(t(image), t(w1), t(b1), padding=1))
        r = F.max_pool2d(r, 2)
        r = F.conv2d(r, t(w2), stride=2, padding=1, groups=4)
        r = F.avg_pool2d(F.gelu(r), 2, stride=1, ceil_mode=True)
        r = F.linear(r.mean(dim=(2, 3)), t(fc_w), t(fc_b))
    np.testing.assert_allclose(model(image), r.numpy(), rtol=1e-4, atol=1e-5)


def test_operators_broadcasting_and_scalars():
    a = nn.input((2, 3), name="a")
    b = nn.input((3,), name="b")
    y = (a + b) * 2.0 - 1.0 / (a * a + 1.0)
    y = -y ** 2.0
    model = kiln.compile(y)
    av, bv = rand(2, 3, seed=1), rand(3, seed=2)
    expected = -(((av + bv) * 2 - 1 / (av * av + 1)) ** 2)
    np.testing.assert_allclose(model(av, bv), expected, rtol=1e-5)


def test_matmul_softmax_layer_norm():
    x = nn.input((4, 8))
    w = rand(8, 5, seed=1)
    scale, bias = rand(5, seed=2), rand(5, seed=3)
    y = nn.layer_norm(nn.softmax(x @ w, axis=-1), scale, bias, epsilon=1e-5)
    model = kiln.compile(y)
    xv = rand(4, 8, seed=4)
    with torch.no_grad():
        r = F.layer_norm(torch.softmax(torch.from_numpy(xv @ w), -1), (5,),
                         torch.from_numpy(scale), torch.from_numpy(bias),
                         eps=1e-5)
    np.testing.assert_allclose(model(xv), r.numpy(), rtol=1e-4, atol=1e-5)


def test_batch_norm_and_clip():
    x = nn.input((1, 3, 4, 4))
    scale, bias, mean = rand(3, seed=1), rand(3, seed=2), rand(3, seed=3)
    var = np.abs(rand(3, seed=4)) + 0.5
    y = nn.clip(nn.batch_norm(x, scale, bias, mean, var, epsilon=1e-3),
                min=-0.5, max=0.5)
    model = kiln.compile(y)
    xv = rand(1, 3, 4, 4, seed=5)
    c = lambda v: v.reshape(1, 3, 1, 1)  # noqa: E731
    expected = np.clip((xv - c(mean)) / np.sqrt(c(var) + 1e-3) * c(scale)
                       + c(bias), -0.5, 0.5)
    np.testing.assert_allclose(model(xv), expected, rtol=1e-5, atol=1e-6)


def test_shapes_reductions_and_several_outputs():
    x = nn.input((2, 3, 4), name="x")
    r = nn.reshape(x, (6, -1))
    t = nn.transpose(x, (2, 0, 1))
    c = nn.concat([x, x * 2.0], axis=1)
    s = nn.reduce_sum(x, axes=(1, 2), keepdims=True)
    m = nn.reduce_mean(x, 2)
    am = nn.arg_max(x, axis=1)
    sl = nn.slice(x, [0, 1, 0], [2, 3, 4], [1, 1, 2])
    model = kiln.compile([r, t, c, s, m, am, sl])
    assert len(model.outputs) == 7
    xv = rand(2, 3, 4, seed=7)
    out = model(xv)
    np.testing.assert_array_equal(out[0], xv.reshape(6, 4))
    np.testing.assert_array_equal(out[1], xv.transpose(2, 0, 1))
    np.testing.assert_allclose(out[2], np.concatenate([xv, xv * 2], 1))
    np.testing.assert_allclose(out[3], xv.sum((1, 2), keepdims=True),
                               rtol=1e-5)
    np.testing.assert_allclose(out[4], xv.mean(2), rtol=1e-5)
    np.testing.assert_array_equal(out[5], xv.argmax(1))
    np.testing.assert_array_equal(out[6], xv[:, 1:3, ::2])


def test_compare_where_cast_gather():
    x = nn.input((5,), name="x")
    y = nn.where(nn.greater(x, 0.0), x, nn.exp(x) - 1.0)
    i = nn.cast(nn.floor(x * 3.0), "int32")
    g = nn.gather(x, [4, 0, 2])
    model = kiln.compile({"elu": y, "ints": i, "picked": g})
    xv = rand(5, seed=8)
    out = model.run({"x": xv})
    np.testing.assert_allclose(out["elu"], np.where(xv > 0, xv,
                                                    np.exp(xv) - 1),
                               rtol=1e-5, atol=1e-6)
    assert out["ints"].dtype == np.int32
    np.testing.assert_array_equal(out["ints"], np.floor(xv * 3).astype(
        np.int32))
    np.testing.assert_array_equal(out["picked"], xv[[4, 0, 2]])


def test_inputs_in_creation_order_and_unused_inputs_left_out():
    a = nn.input((2,), name="a")
    unused = nn.input((2,), name="unused")  # noqa: F841
    b = nn.input((2,), name="b")
    model = kiln.compile(b - a)
    assert [i.name for i in model.inputs] == ["a", "b"]
    out = model(np.array([1, 2], np.float32), np.array([5, 5], np.float32))
    np.testing.assert_array_equal(out, [4, 3])


def test_integer_graph():
    x = nn.input((4,), dtype="int64", name="n")
    model = kiln.compile(x * 3 + 1)
    np.testing.assert_array_equal(model(np.arange(4)), np.arange(4) * 3 + 1)


def test_to_mlir_shows_the_function():
    x = nn.input((1, 4), name="x")
    text = nn.to_mlir({"y": nn.relu(x)})
    assert 'nn.name = "x"' in text and 'nn.name = "y"' in text
    assert "nn.relu" in text


def test_mistakes_raise_where_they_are_made():
    x = nn.input((1, 3, 8, 8))
    with pytest.raises(nn.GraphError) as info:
        nn.conv2d(x, rand(4, 5, 3, 3))  # 5 input channels, x has 3
    error = info.value
    assert isinstance(error, kiln.CompileError)
    assert isinstance(error, ValueError)
    where = error.diagnostics[0].location
    assert where.startswith(__file__ + ":"), where  # this test's line
    assert "channels" in error.diagnostics[0].message
    with pytest.raises(nn.GraphError, match="broadcast|shape"):
        nn.input((2, 3)) + nn.input((4,))


def test_argument_errors():
    with pytest.raises(ValueError, match="non-negative"):
        nn.input((2, -1))
    with pytest.raises(TypeError, match="not supported"):
        nn.input((2,), dtype="complex64")
    with pytest.raises(ValueError, match="padding must be"):
        nn.conv2d(nn.input((1, 1, 4, 4)), rand(1, 1, 3, 3), padding=(1, 2, 3))
    with pytest.raises(ValueError, match="cannot reshape"):
        nn.reshape(nn.input((2, 3)), (4, -1))
    with pytest.raises(ValueError, match="approximate"):
        nn.gelu(nn.input((2,)), approximate="fast")
    with pytest.raises(TypeError, match="truth value"):
        bool(nn.input((2,)))
    with pytest.raises(ValueError, match="distinct"):
        kiln.compile(nn.input((2,), name="x") + nn.input((2,), name="x"))
    with pytest.raises(TypeError, match="kiln.compile takes"):
        kiln.compile([])


@pytest.mark.parametrize("mode,numpy_mode", [("constant", "constant"),
                                             ("reflect", "reflect"),
                                             ("edge", "edge")])
def test_pad_modes(mode, numpy_mode):
    x = nn.input((3, 4))
    model = kiln.compile(nn.pad(x, [1, 2, 1, 0], mode=mode))
    xv = rand(3, 4, seed=9)
    np.testing.assert_array_equal(model(xv), np.pad(xv, ((1, 1), (2, 0)),
                                                    mode=numpy_mode))
