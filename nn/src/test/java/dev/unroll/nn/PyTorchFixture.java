package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.checkpoint.SafeTensors;
import dev.unroll.nn.checkpoint.StoredTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * One reference file written by {@code src/test/resources/pytorch/make_fixtures.py}: PyTorch's
 * tensors by name, read as Unroll tensors (a 1-D tensor as one row, a 2-D one as it is).
 */
public final class PyTorchFixture {

    private final Map<String, StoredTensor> tensors;

    private PyTorchFixture(Map<String, StoredTensor> tensors) {
        this.tensors = tensors;
    }

    /**
     * @param name the file's name without {@code .safetensors}
     * @return the fixture
     */
    public static PyTorchFixture read(String name) {
        try {
            return new PyTorchFixture(SafeTensors.read(path(name)).tensors());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param name the file's name without {@code .safetensors}
     * @return where the fixture is
     */
    public static Path path(String name) {
        try {
            return Path.of(PyTorchFixture.class.getResource("/pytorch/" + name + ".safetensors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param name a tensor's name
     * @return whether the fixture holds it
     */
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /**
     * @param name a tensor's name
     * @return it as a tensor: rows x cols, or 1 x n for a 1-D one
     */
    public Tensor tensor(String name) {
        StoredTensor t = stored(name);
        long[] s = t.shape();
        int rows = s.length == 2 ? (int) s[0] : 1;
        return Tensor.wrap(new DMatrixRMaj(rows, t.count() / rows, true, t.values().clone()));
    }

    /**
     * @param name a one-element tensor's name
     * @return its value
     */
    public double number(String name) {
        StoredTensor t = stored(name);
        assertEquals(1, t.count(), name + " is not a single number");
        return t.values()[0];
    }

    /**
     * @param name a tensor of whole numbers (class indices)
     * @return its values as ints
     */
    public int[] ints(String name) {
        double[] v = stored(name).values();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    private StoredTensor stored(String name) {
        StoredTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("the fixture has no tensor " + name + "; regenerate it with make_fixtures.py");
        }
        return t;
    }
}
