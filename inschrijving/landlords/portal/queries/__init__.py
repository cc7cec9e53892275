"""The portal's and the API's read side: `shared` (the access rule, moments, choices) and `lists`."""
