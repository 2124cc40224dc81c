// No operation at all.
mod agentcore {
    opgen::include_operation!();
}

fn main() {}
