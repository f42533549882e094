package dev.unroll.autograd;

/**
 * The backward step of one recorded op: reading the gradient of the loss with respect to the
 * op's output ({@code out.gradData()}), it ADDS the gradient with respect to each input that
 * requires one into that input's gradient ({@code in.gradData()}). The tape runs it only when a
 * gradient reached the output.
 *
 * <p>Adding rather than assigning is what makes a tensor used several times (a weight shared by
 * every timestep, a tied embedding) receive the sum of its contributions.
 */
@FunctionalInterface
public interface Backward {

    /** Propagates the output's gradient to the op's inputs; never modifies the output's gradient. */
    void apply();
}
