"""One module per exam-style prompt; see question_bank.registry for the contract."""
