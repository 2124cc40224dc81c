//! AWS Signature Version 4. (Being written.)
